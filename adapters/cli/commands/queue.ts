import { type Command, Option } from 'commander';
import type { DeadLetter, OutboxStats } from '../../../ports/index-outbox.ts';
import { AppError } from '../../../src/domain/errors.ts';
import type { IndexingQueueAdmin } from '../../../src/indexing/indexing-queue-admin.ts';
import { parseDuration } from '../../config/duration.ts';
import { confirmDestructive } from '../confirm.ts';
import type { CommandContext } from '../context.ts';

/**
 * `listings queue status | retry-dead | purge`: the indexing outbox for operators (the original had no way to see
 * or repair its queue). Results on stdout (`--json` for one JSON document), notes on stderr.
 */
export function registerQueueCommand(program: Command, context: () => CommandContext): void {
  const queue = program.command('queue').description('inspect and repair the search indexing queue (the outbox)');

  queue
    .command('status')
    .description('jobs by state, the age of the oldest due job, and the oldest dead letters')
    .addOption(new Option('--dead-letters <n>', 'dead letters to list (0 for none)').default('10'))
    .action(async (options: { readonly deadLetters: string }) => {
      const limit = count('--dead-letters', options.deadLetters);
      await withQueueAdmin(context, async (admin, ctx) => {
        const stats = await admin.status();
        const dead = limit === 0 ? [] : await admin.deadLetters({ limit });
        ctx.output.result({ ...stats, deadLetters: dead.map(deadLetterJson) }, () => describeStatus(stats, dead));
      });
    });

  queue
    .command('retry-dead')
    .description('make dead letters pending again (all, or the given job ids) once their cause is fixed')
    .option('--id <n...>', 'only these dead-letter job ids (see `queue status`)')
    .option('--dry-run', 'report how many would be requeued, change nothing')
    .action(async (options: { readonly id?: readonly string[]; readonly dryRun?: boolean }) => {
      const ids = options.id?.map((id) => count('--id', id));
      await withQueueAdmin(context, async (admin, ctx) => {
        const result = await admin.retryDead({
          ...(ids === undefined ? {} : { ids }),
          dryRun: options.dryRun === true,
        });
        ctx.output.result(result, () =>
          [
            `${result.dryRun ? 'would requeue' : 'requeued'} ${result.requeued} dead letter(s)`,
            ...(result.notDead.length > 0 ? [`not dead letters (left alone): ${result.notDead.join(', ')}`] : []),
          ].join('\n'),
        );
      });
    });

  queue
    .command('purge')
    .description('delete completed jobs processed before a cutoff (pending, failed and dead jobs are never purged)')
    .requiredOption('--older-than <duration>', 'age of the completed jobs to delete, e.g. 7d, 12h, 30m')
    .option('--dry-run', 'report the cutoff, delete nothing')
    .action(async (options: { readonly olderThan: string; readonly dryRun?: boolean }) => {
      const olderThanMs = ageMs(options.olderThan);
      await withQueueAdmin(context, async (admin, ctx) => {
        if (options.dryRun !== true) {
          await confirmDestructive(`delete completed indexing jobs older than ${options.olderThan}?`, {
            yes: ctx.options.yes === true,
          });
        }
        const result = await admin.purge({ olderThanMs, dryRun: options.dryRun === true });
        ctx.output.result({ ...result, before: result.before.toISOString() }, () =>
          result.dryRun
            ? `would delete completed jobs processed before ${result.before.toISOString()} (dry run: not counted)`
            : `deleted ${result.purged} completed job(s) processed before ${result.before.toISOString()}`,
        );
      });
    });
}

async function withQueueAdmin(
  context: () => CommandContext,
  work: (admin: IndexingQueueAdmin, ctx: CommandContext) => Promise<void>,
): Promise<void> {
  const ctx = context();
  const { config } = ctx.config();
  // Loaded here, not at the top: registering the command must not load the database drivers.
  const [{ openDatabase }, { ensureSchema }, { createPlainRepositories }, { IndexingQueueAdmin }, { systemClock }] =
    await Promise.all([
      import('../../composition/database.ts'),
      import('../../composition/schema-gate.ts'),
      import('../../sql/sql-repositories.ts'),
      import('../../../src/indexing/indexing-queue-admin.ts'),
      import('../../system/system-clock.ts'),
    ]);
  const database = await openDatabase(config);
  try {
    await ensureSchema(database, { autoMigrate: database.driver === 'pglite', logger: ctx.logger(config) });
    const { outbox } = createPlainRepositories(database.knex);
    await work(new IndexingQueueAdmin({ outbox, clock: systemClock }), ctx);
  } finally {
    await database.close();
  }
}

function describeStatus(stats: OutboxStats, dead: readonly DeadLetter[]): string {
  const age = stats.oldestDueAgeMs === null ? '-' : `${(stats.oldestDueAgeMs / 1000).toFixed(1)}s`;
  const lines = [
    `pending:     ${stats.pending}`,
    `processing:  ${stats.processing}`,
    `failed:      ${stats.failed} (waiting for a retry)`,
    `dead:        ${stats.dead}`,
    `oldest due:  ${age}`,
  ];
  if (dead.length > 0) {
    lines.push('', 'dead letters (oldest first):');
    for (const letter of dead) {
      const error = (letter.error ?? '').replace(/\s+/g, ' ').slice(0, 160);
      lines.push(
        `  #${letter.id} listing ${letter.listingId} v${letter.version} ${letter.operation}, ${letter.attempts} attempt(s), failed ${letter.failedAt.toISOString()}: ${error}`,
      );
    }
    if (dead.length < stats.dead) lines.push(`  … ${stats.dead - dead.length} more (--dead-letters <n>)`);
  }
  return lines.join('\n');
}

function deadLetterJson(letter: DeadLetter) {
  return { ...letter, enqueuedAt: letter.enqueuedAt.toISOString(), failedAt: letter.failedAt.toISOString() };
}

function count(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new AppError('USAGE_INVALID', `${flag} must be a whole number, got "${text}"`);
  }
  return value;
}

/** Days (`7d`) on top of the config's Go-style durations (`12h`, `90m`, `1h30m`). */
export function ageMs(text: string): number {
  const days = /^\s*(\d+(?:\.\d+)?)d\s*$/.exec(text);
  const ms = days ? Number(days[1]) * 86_400_000 : parseDuration(text);
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new AppError('USAGE_INVALID', `--older-than must be a duration such as 7d, 12h or 30m, got "${text}"`);
  }
  return Math.round(ms);
}
