import type { Command } from 'commander';
import { AppError } from '../../../src/domain/errors.ts';
import type { RebuildReport } from '../../../src/reindex/rebuild-search-index.ts';
import type { RollBackReport } from '../../../src/reindex/roll-back-index.ts';
import { confirmDestructive } from '../confirm.ts';
import type { CommandContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { describeRebuild, describeRollBack } from './reindex-describe.ts';
import { engineFlag, stopOnSignal, wholeNumberFlag } from './search-flags.ts';

interface ReindexOptions {
  readonly batchSize: string;
  readonly bulkBytes: string;
  readonly concurrency: string;
  readonly dryRun?: boolean;
  readonly swap: boolean;
  readonly keep: string;
  readonly sample: string;
  readonly force?: boolean;
  readonly feedWait: string;
  readonly rollback?: boolean;
  readonly resume?: boolean;
  readonly engine?: string;
}

/**
 * `listings reindex [--rollback]`: zero-downtime rebuild of the search index (src/reindex/rebuild-search-index.ts)
 * under the engine's reindex lock; report on stdout (`--json` for one document), progress on stderr.
 */
export function registerReindexCommand(program: Command, context: () => CommandContext): void {
  program
    .command('reindex')
    .description(
      'rebuild the search index into a new versioned index from PostgreSQL, replay the writes made meanwhile, ' +
        'verify it (counts and a sample of documents), then swap the read and write aliases in one step; the ' +
        'serving index answers searches throughout. --rollback swaps back to the previous kept index.',
    )
    .option('--batch-size <n>', 'listings per PostgreSQL read and documents per bulk request (1..1000)', '500')
    .option('--bulk-bytes <n>', 'bytes per bulk request at most', String(5 * 1024 * 1024))
    .option('--concurrency <n>', 'bulk requests in flight (1..32)', '2')
    .option('--dry-run', 'build nothing: report what would be indexed and which index serves')
    .option('--no-swap', 'build and verify the new index but leave the aliases where they are')
    .option('--keep <n>', 'previous indices to keep for rollback (0..10)', '1')
    .option('--sample <n>', 'documents compared field by field with their rows before the swap (0..10000)', '200')
    .option(
      '--feed-wait <seconds>',
      'how long to wait for the change feed when a long transaction holds it back',
      '300',
    )
    .option('--force', 'swap even though the outbox holds dead letters (never despite a failed verification)')
    .option('--resume', 'go on with the index a killed or failed reindex left, from its checkpoint')
    .option('--rollback', 'make the newest kept previous index serve again, then bring it up to date')
    .option('--engine <name>', 'opensearch or postgres (default: SEARCH_ENGINE)')
    .addHelpText(
      'after',
      '\nSIGINT/SIGTERM stop at the next batch: the new index is dropped, the serving one is untouched (exit 130).\n' +
        'A second run while one holds the lock exits 4. A verification that fails drops the new index (exit 1).\n' +
        'After a kill or an error the unfinished index stays with its checkpoint: --resume goes on from there, a\n' +
        'run without --resume drops it and starts over.',
    )
    .action(async (options: ReindexOptions) => {
      const batchSize = wholeNumberFlag('--batch-size', options.batchSize, 1, 1000);
      const request = {
        batchSize,
        bulk: { maxItems: batchSize, maxBytes: wholeNumberFlag('--bulk-bytes', options.bulkBytes, 1024, 100 << 20) },
        concurrency: wholeNumberFlag('--concurrency', options.concurrency, 1, 32),
        keep: wholeNumberFlag('--keep', options.keep, 0, 10),
        sampleSize: wholeNumberFlag('--sample', options.sample, 0, 10_000),
        swap: options.swap,
        dryRun: options.dryRun === true,
        force: options.force === true,
        feedWaitMs: wholeNumberFlag('--feed-wait', options.feedWait, 0, 86_400) * 1000,
        resume: options.resume === true,
      };
      const engine = engineFlag(options.engine);
      const ctx = context();
      const { config } = ctx.config();
      const logger = ctx.logger(config);
      if (options.rollback === true && !request.dryRun) {
        await confirmDestructive('swap the search aliases back to the previous index?', {
          yes: ctx.options.yes === true,
        });
      }
      // Loaded here, not at the top: registering the command must not load the search and database drivers.
      const [{ buildAdminSearch }, { createSearchProgress }] = await Promise.all([
        import('../../composition/admin-search.ts'),
        import('../search-progress.ts'),
      ]);
      const admin = await buildAdminSearch(config, logger, engine === undefined ? {} : { engine });
      const signal = stopOnSignal('the reindex', EXIT.INTERRUPTED);
      const progress = createSearchProgress('docs');
      try {
        if (options.rollback === true) {
          const report: RollBackReport = await admin.withReindexLock(() => admin.rollback.execute(request));
          ctx.output.result(report, () => describeRollBack(report));
          if (report.failures.length > 0) {
            const message = `${report.failures.length} listing(s) could not be caught up: run listings validate --fix`;
            throw new AppError('CHECK_FAILED', message, { details: { reported: true } });
          }
          return;
        }
        const run = () =>
          admin.rebuild.execute(request, {
            stopped: signal.stopped,
            progress: (p) =>
              progress.update({
                phase: p.phase,
                done: p.documents,
                total: p.total,
                fields: { index: p.index, bytes: p.bytes, failed: p.failed },
              }),
          });
        const report: RebuildReport = request.dryRun ? await run() : await admin.withReindexLock(run);
        progress.stop();
        ctx.output.result(report, () => describeRebuild(report));
        if (report.problems.length > 0) {
          throw new AppError('CHECK_FAILED', report.problems.join('; '), { details: { reported: true } });
        }
      } finally {
        progress.stop();
        signal.remove();
        await admin.close();
      }
    });
}
