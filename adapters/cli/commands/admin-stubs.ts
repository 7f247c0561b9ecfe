import type { Command } from 'commander';

/**
 * Admin commands whose interface is fixed but whose work lands in later capabilities. Declaring
 * them now keeps --help, flags and exit codes stable for the scripts that will call them (mark each
 * with `notImplemented` from ./not-implemented.ts). None is pending at the moment.
 */
export function registerPlannedCommands(_program: Command): void {}
