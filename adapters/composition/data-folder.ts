import { mkdirSync } from 'node:fs';
import { AppError } from '../../src/domain/errors.ts';

/**
 * Creates a folder under DATA_DIR (or wherever the configuration points) and says which setting to change when it
 * cannot: a path through a file, a read-only or forbidden place is the operator's configuration (exit 2), not an
 * unexpected error with a bare errno message.
 */
export function ensureFolder(folder: string, setting: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError('CONFIG_INVALID', `cannot create ${folder} (${reason}); set ${setting} to a writable folder`, {
      cause: error,
    });
  }
}

export const DATA_DIR_SETTING = 'SVETULISTINGS_DATA_DIR or --data-dir';
