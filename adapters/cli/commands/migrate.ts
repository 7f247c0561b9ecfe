import type { Command } from 'commander';
import { AppError } from '../../../src/domain/errors.ts';
import { confirmDestructive } from '../confirm.ts';
import type { CommandContext } from '../context.ts';

interface MigrateOptions {
  readonly all?: boolean;
  readonly dryRun?: boolean;
}

const ACTIONS = ['latest', 'rollback', 'status', 'make'] as const;

export function registerMigrateCommand(program: Command, context: () => CommandContext): void {
  program
    .command('migrate')
    .description(
      'manage the database schema: latest | rollback | status | make <name>. Runs under an advisory lock: a second run fails with exit 4.',
    )
    .argument('<action>', `one of ${ACTIONS.join(', ')}`)
    .argument('[name]', 'make: the new migration name, snake_case')
    .option('--all', 'rollback: every applied migration, not only the last batch')
    .option('--dry-run', 'latest/rollback: list what would run, change nothing')
    .action(async (action: string, name: string | undefined, options: MigrateOptions) => {
      if (!(ACTIONS as readonly string[]).includes(action)) {
        throw new AppError(
          'USAGE_INVALID',
          `unknown migrate action "${action}": expected one of ${ACTIONS.join(', ')}`,
        );
      }
      if (action === 'make' && !name)
        throw new AppError(
          'USAGE_INVALID',
          'migrate make needs a name, e.g. `listings migrate make add_listing_brand`',
        );
      const ctx = context();
      const { config } = ctx.config();
      // Loaded here, not at the top: registering the command must not load the database drivers.
      const [{ openDatabase }, { MigrateSchema }] = await Promise.all([
        import('../../composition/database.ts'),
        import('../../../src/migrate-schema.ts'),
      ]);
      const database = await openDatabase(config);
      try {
        const migrate = new MigrateSchema(database.migrator);
        const { output } = ctx;
        if (action === 'status') {
          const status = await migrate.status();
          output.result(
            {
              database: database.location,
              currentVersion: status.currentVersion,
              applied: status.applied.map((m) => m.name),
              pending: status.pending,
              unknown: status.unknown,
            },
            () =>
              [
                `database: ${database.location}`,
                `version:  ${status.currentVersion ?? '(empty)'}`,
                `applied:  ${status.applied.length}`,
                `pending:  ${status.pending.length}`,
                ...status.pending.map((p) => `  - ${p}`),
                ...(status.unknown.length > 0
                  ? [
                      `newer:    ${status.unknown.length} applied by a newer release (no file here)`,
                      ...status.unknown.map((u) => `  - ${u}`),
                    ]
                  : []),
              ].join('\n'),
          );
        } else if (action === 'latest') {
          const report = await migrate.latest({ dryRun: options.dryRun === true });
          output.result(report, () =>
            describe(report.dryRun ? 'would apply' : 'applied', report.names, report.currentVersion),
          );
        } else if (action === 'rollback') {
          if (!options.dryRun) {
            await confirmDestructive(
              `revert ${options.all ? 'EVERY migration' : 'the last migration batch'} of ${database.location}? Data in dropped tables is lost`,
              {
                yes: ctx.options.yes === true,
              },
            );
          }
          const report = await migrate.rollback({ all: options.all === true, dryRun: options.dryRun === true });
          output.result(report, () =>
            describe(report.dryRun ? 'would revert' : 'reverted', report.names, report.currentVersion),
          );
        } else {
          const file = await migrate.make(name as string);
          output.result({ file }, () => `created ${file}`);
        }
      } finally {
        await database.close();
      }
    });
}

function describe(verb: string, names: readonly string[], version: string | null): string {
  if (names.length === 0) return `nothing to do; schema version ${version ?? '(empty)'}`;
  return [
    `${verb} ${names.length} migration(s):`,
    ...names.map((n) => `  - ${n}`),
    `schema version ${version ?? '(empty)'}`,
  ].join('\n');
}
