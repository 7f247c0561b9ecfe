import type { Command } from 'commander';
import { AppError } from '../../../src/domain/errors.ts';

/**
 * Marks a command whose interface is designed but whose work is not built yet. It fails loudly
 * (exit 2) instead of pretending to succeed, so no script mistakes it for a real run.
 */
export function notImplemented(command: Command, issue: string): Command {
  return command.action(() => {
    throw new AppError('NOT_IMPLEMENTED', `${command.name()}: not implemented yet (tracked in ${issue})`);
  });
}
