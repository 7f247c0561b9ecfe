import { AppError } from '../../src/domain/errors.ts';

/**
 * Asks before a destructive step. On a TTY the operator answers; without a TTY (scripts, CI) the
 * command refuses unless --yes was given, because nobody is there to answer.
 */
export async function confirmDestructive(
  message: string,
  options: { yes: boolean; interactive?: boolean },
): Promise<void> {
  if (options.yes) return;
  const interactive = options.interactive ?? (process.stdin.isTTY === true && process.stderr.isTTY === true);
  if (!interactive) {
    throw new AppError(
      'USAGE_INVALID',
      `${message} — refusing without confirmation: no terminal to ask; pass --yes to proceed`,
    );
  }
  // Loaded only when a question is asked: most commands never ask, and the prompt library is not small.
  const { confirm } = await import('@inquirer/prompts');
  const accepted = await confirm({ message, default: false }, { output: process.stderr });
  if (!accepted) throw new AppError('INTERRUPTED', 'aborted by the operator');
}
