import { Command, Option } from 'commander';
import { registerBackupCommand } from './commands/backup.ts';
import { registerConfigCommand } from './commands/config.ts';
import { registerImagesCommand } from './commands/images.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerMigrateFromMonolithCommand } from './commands/migrate-from-monolith.ts';
import { registerMigrateFromMonolithVerifyCommand } from './commands/migrate-from-monolith-verify.ts';
import { registerQueueCommand } from './commands/queue.ts';
import { registerReindexCommand } from './commands/reindex.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerSmokeTestCommand } from './commands/smoke-test.ts';
import { registerValidateCommand } from './commands/validate.ts';
import { registerWorkerCommand } from './commands/worker.ts';
import type { CommandContext, GlobalOptions } from './context.ts';
import { EXIT_CODES_HELP } from './exit-codes.ts';
import { createOutput } from './output.ts';
import { VERSION } from './version.ts';

/** Builds the `listings` command tree; run-command-line.ts parses argv with it and maps errors to exit codes. */
export function buildProgram(): Command {
  const program = new Command('listings')
    .description("Operate and migrate a marketplace's listings: the listings service and its admin commands.")
    .version(VERSION, '-V, --version', 'print the version')
    .addOption(new Option('--json', 'machine-readable output on stdout (logs and progress stay on stderr)'))
    .addOption(
      new Option('--log-level <level>', 'log level').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
    .addOption(
      new Option('-y, --yes', 'answer yes to confirmations (required for destructive commands without a terminal)'),
    )
    .addOption(new Option('--env-file <path>', 'read SVETULISTINGS_* variables from this file').default('.env'))
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();

  // The context (config loader, logger) is loaded just before an action runs, never to build the tree: --help and
  // a usage error load none of it. Commands get it synchronously, as before.
  let context: CommandContext | undefined;
  program.hook('preAction', async (_program, action) => {
    if (action === versionCommand) return;
    const { createContext } = await import('./context.ts');
    context ??= createContext(program.opts<GlobalOptions>());
  });
  const getContext = () => {
    if (context === undefined) throw new Error('the command context is made by the preAction hook');
    return context;
  };

  registerServeCommand(program, getContext);
  registerMigrateCommand(program, getContext);
  registerMigrateFromMonolithCommand(program, getContext);
  registerMigrateFromMonolithVerifyCommand(program, getContext);
  registerWorkerCommand(program, getContext);
  registerQueueCommand(program, getContext);
  registerImagesCommand(program, getContext);
  registerReindexCommand(program, getContext);
  registerValidateCommand(program, getContext);
  registerBackupCommand(program, getContext);
  registerSmokeTestCommand(program, getContext);
  registerConfigCommand(program, getContext);
  const versionCommand = program
    .command('version')
    .description('print the version (as the original service did)')
    .action(() =>
      createOutput(program.opts<GlobalOptions>().json === true).result(
        { version: VERSION, node: process.version },
        () => `Listings Service ${VERSION} (node ${process.version})`,
      ),
    );

  for (const command of allCommands(program)) {
    command.exitOverride();
    command.addHelpText('after', EXIT_CODES_HELP);
  }
  return program;
}

function* allCommands(command: Command): Generator<Command> {
  yield command;
  for (const child of command.commands) yield* allCommands(child);
}
