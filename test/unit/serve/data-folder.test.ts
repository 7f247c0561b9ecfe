import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR_SETTING, ensureFolder } from '../../../adapters/composition/data-folder.ts';

describe('ensureFolder', () => {
  it('creates nested folders, and names the setting when the path cannot be a folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'listings-folder-'));
    ensureFolder(join(root, 'a', 'b'), DATA_DIR_SETTING);
    ensureFolder(join(root, 'a', 'b'), DATA_DIR_SETTING); // already there: nothing to do
    writeFileSync(join(root, 'file'), 'x');
    expect(() => ensureFolder(join(root, 'file', 'pglite'), DATA_DIR_SETTING)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: `cannot create ${join(root, 'file', 'pglite')} (ENOTDIR); set SVETULISTINGS_DATA_DIR or --data-dir to a writable folder`,
      }),
    );
  });
});
