import { Command, Option } from 'commander';
import { registerPlannedCommands } from './commands/admin-stubs.ts';
import { registerConfigCommand } from './commands/config.ts';
import { registerServeCommand } from './commands/serve.ts';
import { type CommandContext, createContext, type GlobalOptions, VERSION } from './context.ts';
import { EXIT_CODES_HELP } from './exit-codes.ts';

/** Builds the `listings` command tree; main.ts parses argv with it and maps errors to exit codes. */
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

  let context: CommandContext | undefined;
  const getContext = () => {
    context ??= createContext(program.opts<GlobalOptions>());
    return context;
  };

  registerServeCommand(program, getContext);
  registerMigrateCommand(program);
  registerPlannedCommands(program);
  registerConfigCommand(program, getContext);
  program
    .command('version')
    .description('print the version (as the original service did)')
    .action(() =>
      getContext().output.result(
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

function registerMigrateCommand(program: Command): void {
  // Replaced by the real migrate command when the schema capability lands in the composition root.
  program
    .command('migrate')
    .description('manage the database schema: latest | rollback | status | make <name> (advisory-locked)')
    .argument('<action>', 'latest, rollback, status or make')
    .argument('[name]', 'migration name, for make')
    .option('--all', 'rollback: every batch, not just the last')
    .option('--dry-run', 'latest/rollback: list what would run')
    .action(async () => {
      const { AppError } = await import('../../src/domain/errors.ts');
      throw new AppError('NOT_IMPLEMENTED', 'migrate: not implemented yet (tracked in the core issue)');
    });
}

function* allCommands(command: Command): Generator<Command> {
  yield command;
  for (const child of command.commands) yield* allCommands(child);
}
