import { type Command, Option } from 'commander';
import { AppError } from '../../../src/domain/errors.ts';
import type { MigrationReport } from '../../../src/monolith-migration/run-report.ts';
import type { CommandContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { boundMigrationHeap } from '../migration-heap.ts';
import { VERSION } from '../version.ts';
import { describeMigrationReport } from './migrate-from-monolith-describe.ts';

interface MigrateFromMonolithOptions {
  readonly source: string;
  readonly target?: string;
  readonly sourceZone: string;
  readonly batchSize: string;
  readonly since?: string;
  readonly dryRun?: boolean;
  readonly strict?: boolean;
  readonly enqueue: boolean;
  readonly reject?: 'title';
  readonly priceFallback?: string;
  readonly ownerFallback?: string;
  readonly categoryFallback?: string;
}

/**
 * `listings migrate-from-monolith`: copies the monolith's listings into this schema (reference monolith.md §3–§4),
 * idempotent, resumable and interruptible at batch boundaries. Report on stdout (`--json`: one document),
 * progress and warnings on stderr. Exit codes of §4.9.
 */
export function registerMigrateFromMonolithCommand(program: Command, context: () => CommandContext): void {
  program
    .command('migrate-from-monolith')
    .description(
      'copy listings, stores, categories, images, variants, favorites and attributes from the monolith database ' +
        'into this schema: one read-only snapshot, keyset batches, COPY + set-based upserts; idempotent (a rerun ' +
        'changes nothing), resumable after a kill, catch-up runs write only what changed or was deleted',
    )
    .requiredOption('--source <dsn>', 'PostgreSQL URL of the monolith (read-only access is enough)')
    .option('--target <dsn>', 'PostgreSQL URL of the target (default: the configured database)')
    .option('--source-zone <zone>', "IANA zone the monolith's naive timestamps were written in", 'UTC')
    .option('--batch-size <n>', 'rows per batch (image tables: 5x as many)', '2000')
    .option('--since <time>', 'rehearsals only: rescan listings, products, stores and categories changed since (UTC)')
    .option('--dry-run', 'read and map everything, write nothing (not even bookkeeping), print the plan')
    .option('--strict', 'exit 5 when any row was rejected')
    .option('--no-enqueue', 'do not enqueue migrated listings for indexing (run `listings reindex` afterwards)')
    .addOption(new Option('--reject <rule>', 'reject short titles instead of repairing them').choices(['title']))
    .option('--price-fallback <amount>', 'price for rows with a NULL or non-positive price (forced to draft)')
    .option('--owner-fallback <user_id>', 'owner for rows without one (forced to draft)')
    .option('--category-fallback <id>', 'category for rows without a known one (forced to draft)')
    .addHelpText(
      'after',
      '\nSIGINT/SIGTERM stop at the next batch boundary (run marked interrupted, exit 130); run again to resume.\n' +
        'A second run while one holds the lock exits 4. Rejected rows are listed in monolith_migration.rejects.',
    )
    .action(async (options: MigrateFromMonolithOptions) => {
      const ctx = context();
      const { config } = ctx.config();
      const request = parseOptions(options);
      // Loaded here, not at the top: registering the command must not load the drivers (and the run's memory
      // budget should not pay for the other commands').
      const [{ buildMonolithMigration }, { createProgressReporter }] = await Promise.all([
        import('../../composition/monolith-migration.ts'),
        import('../monolith-progress.ts'),
      ]);
      const migration = await buildMonolithMigration({
        source: options.source,
        target: options.target,
        config,
        toolVersion: VERSION,
      });
      const unboundHeap = boundMigrationHeap();
      const progress = createProgressReporter();
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) process.exit(EXIT.INTERRUPTED);
        stopping = true;
        process.stderr.write(`listings: ${signal}: stopping at the next batch boundary (again to exit at once)\n`);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let report: MigrationReport;
      try {
        report = await migration.migrate.execute({
          ...request,
          recordedOptions: { ...options, source: undefined, target: undefined },
          shouldStop: () => stopping,
          onProgress: (p) => progress.update(p),
          onWarning: (message) => process.stderr.write(`listings: warning: ${message}\n`),
        });
      } finally {
        progress.stop();
        unboundHeap();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await migration.close();
      }
      ctx.output.result(report, () => describeMigrationReport(report));
      if (!report.reconciled) {
        throw new AppError('CHECK_FAILED', 'reconciliation failed: source rows ≠ migrated + rejected', {
          details: { reported: true },
        });
      }
      if (options.strict === true && report.rejected_total > 0) {
        throw new AppError('COMPLETED_WITH_PROBLEMS', `${report.rejected_total} row(s) rejected (--strict)`, {
          details: { reported: true },
        });
      }
    });
}

function parseOptions(options: MigrateFromMonolithOptions) {
  const batchSize = wholeNumber('--batch-size', options.batchSize);
  if (batchSize < 1 || batchSize > 1_000_000) {
    throw new AppError('USAGE_INVALID', `--batch-size must be from 1 to 1000000, got ${batchSize}`);
  }
  const fallback = (flag: string, value: string | undefined) => (value === undefined ? null : wholeNumber(flag, value));
  if (options.priceFallback !== undefined && !/^\d{1,13}(\.\d{1,2})?$/.test(options.priceFallback)) {
    throw new AppError(
      'USAGE_INVALID',
      `--price-fallback must be a positive amount like 1.00, got "${options.priceFallback}"`,
    );
  }
  return {
    sourceZone: options.sourceZone,
    batchSize,
    since: options.since === undefined ? null : sinceText(options.since),
    dryRun: options.dryRun === true,
    enqueue: options.enqueue,
    mapping: {
      rejectShortTitle: options.reject === 'title',
      priceFallback: options.priceFallback ?? null,
      ownerFallback: fallback('--owner-fallback', options.ownerFallback),
      categoryFallback: fallback('--category-fallback', options.categoryFallback),
    },
  };
}

function wholeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new AppError('USAGE_INVALID', `${flag} must be a whole number, got "${text}"`);
  }
  return value;
}

/** `2025-11-01`, `2025-11-01T10:00:00` (UTC) or with an offset → canonical UTC text (§3.1). */
export function sinceText(text: string): string {
  const trimmed = text.trim();
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : hasZone ? trimmed : `${trimmed}Z`;
  const ms = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(iso) ? Date.parse(iso.replace(' ', 'T')) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new AppError(
      'USAGE_INVALID',
      `--since must be a date or time such as 2025-11-01 or 2025-11-01T10:00:00Z, got "${text}"`,
    );
  }
  return `${new Date(ms).toISOString().slice(0, 19)}.${String((ms % 1000) * 1000).padStart(6, '0')}Z`;
}
