import type { Command } from 'commander';
import { notImplemented } from './not-implemented.ts';

/**
 * Admin commands whose interface is fixed but whose work lands in later capabilities. Declaring
 * them now keeps --help, flags and exit codes stable for the scripts that will call them.
 */
export function registerPlannedCommands(program: Command): void {
  notImplemented(
    program
      .command('validate')
      .description('compare the search index and caches with PostgreSQL and report drift (exit 1 when found)')
      .option('--fix', 're-enqueue every drifted listing through the outbox')
      .option('--dry-run', 'with --fix: report what would be re-enqueued')
      .option('--sample <n>', 'check a random sample instead of every listing')
      .option('--strict', 'exit 5 when a check could not complete'),
    'the validate issue',
  );
}
