import type { Command } from 'commander';
import { AppError } from '../../../src/domain/errors.ts';
import { DEFAULT_GRACE_MS } from '../../../src/images/collect-orphans.ts';
import type { CountsReport } from '../../../src/validate/compare-counts.ts';
import type { ValidateReport } from '../../../src/validate/validate-search-index.ts';
import { formatDuration, parseDuration } from '../../config/duration.ts';
import { confirmDestructive } from '../confirm.ts';
import type { CommandContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { engineFlag, stopOnSignal, wholeNumberFlag } from './search-flags.ts';
import { describeCounts, describeValidation } from './validate-describe.ts';

interface ValidateOptions {
  readonly fix?: boolean;
  readonly dryRun?: boolean;
  readonly sample?: string;
  readonly strict?: boolean;
  readonly maxIds: string;
  readonly maxDeletes: string;
  readonly settle: string;
  readonly engine?: string;
  readonly cache: boolean;
  readonly images: boolean;
  readonly imagesOlderThan: string;
  readonly quick?: boolean;
}

/**
 * `listings validate [--fix]`: drift between PostgreSQL, the search index and the shared cache
 * (src/validate/validate-search-index.ts). Exit 0 clean, 1 drift found (also when --fix repaired it: run again to
 * confirm), 3 a store unreachable, 5 under --strict when a check could not complete.
 */
export function registerValidateCommand(program: Command, context: () => CommandContext): void {
  program
    .command('validate')
    .description(
      'compare every listing in PostgreSQL with the search index (missing, stale, ahead, mismatched fields, ' +
        'documents of deleted or hidden listings, documents without rows), dead letters in the outbox, the ' +
        'Redis listing cache and the stored images (rows whose object is gone, objects without a row); report ' +
        'drift per kind with ids or keys (exit 1 when found). --quick: counts per status and category only',
    )
    .option(
      '--fix',
      're-enqueue drifted listings through the outbox, delete documents without rows and image objects without ' +
        'rows (up to --max-deletes each, after confirmation), requeue dead letters, evict stale cache entries',
    )
    .option('--dry-run', 'with --fix: report what would be repaired, change nothing')
    .option('--sample <n>', 'compare fields on a random sample of about n listings (presence and versions: always all)')
    .option('--strict', 'exit 5 when a check could not complete')
    .option('--max-ids <n>', 'findings listed, re-checked and repaired per kind (more are counted only)', '10000')
    .option(
      '--max-deletes <n>',
      'with --fix: delete documents without rows, and image objects without rows, only up to this many each',
      '100',
    )
    .option('--settle <ms>', 'pause before re-checking what the pass found (writes in flight settle)', '2000')
    .option('--no-cache', 'skip the listing cache check')
    .option(
      '--no-images',
      'skip the stored-images check (image rows whose object is gone, objects without a row): it lists every ' +
        'object under listings/ beside the image rows, which takes minutes with millions of objects',
    )
    .option(
      '--images-older-than <duration>',
      'image folders younger than this are not judged orphans (uploads in progress), as in listings images gc',
      formatDuration(DEFAULT_GRACE_MS),
    )
    .option('--engine <name>', 'opensearch or postgres (default: SEARCH_ENGINE)')
    .option(
      '--quick',
      'only count searchable listings and documents, in all, per status and per category (seconds, no ids; ' +
        'exit 1 when a count differs)',
    )
    .action(async (options: ValidateOptions) => {
      if (options.quick === true) return validateCounts(options, context());
      const request = {
        fix: options.fix === true,
        dryRun: options.dryRun === true,
        sample: options.sample === undefined ? null : wholeNumberFlag('--sample', options.sample, 0, 100_000_000),
        keptIds: wholeNumberFlag('--max-ids', options.maxIds, 1, 1_000_000),
        maxDeletes: wholeNumberFlag('--max-deletes', options.maxDeletes, 0, 1_000_000),
        settleMs: wholeNumberFlag('--settle', options.settle, 0, 600_000),
        imagesOlderThanMs: durationFlag('--images-older-than', options.imagesOlderThan),
      };
      if (request.dryRun && !request.fix) throw new AppError('USAGE_INVALID', '--dry-run goes with --fix');
      const engine = engineFlag(options.engine);
      const ctx = context();
      const { config } = ctx.config();
      // Loaded here, not at the top: registering the command must not load the search and database drivers.
      const [{ buildAdminSearch }, { createSearchProgress }] = await Promise.all([
        import('../../composition/admin-search.ts'),
        import('../search-progress.ts'),
      ]);
      const admin = await buildAdminSearch(config, ctx.logger(config), {
        ...(engine === undefined ? {} : { engine }),
        checkCache: options.cache,
        checkImages: options.images,
      });
      const signal = stopOnSignal('validate', EXIT.INTERRUPTED);
      const progress = createSearchProgress('listings');
      let report: ValidateReport;
      try {
        report = await admin.validate.execute(request, {
          stopped: signal.stopped,
          progress: (counts) =>
            progress.update({
              phase: 'compare',
              done: counts.listings,
              total: 0,
              fields: { documents: counts.documents, fieldsCompared: counts.fieldsCompared },
            }),
          // Declined, or no terminal and no --yes: the deletes are skipped and reported, the other repairs stand.
          confirmDeletes: (count) =>
            confirmDestructive(`delete ${count} search document(s) whose listing row no longer exists?`, {
              yes: ctx.options.yes === true,
            }).then(
              () => true,
              () => false,
            ),
          imageProgress: (phase, done) => progress.update({ phase, done, total: 0 }),
          confirmObjectDeletes: (count) =>
            confirmDestructive(`delete ${count} stored image object(s) that no listing_images row points at?`, {
              yes: ctx.options.yes === true,
            }).then(
              () => true,
              () => false,
            ),
        });
      } finally {
        progress.stop();
        signal.remove();
        await admin.close();
      }
      ctx.output.result(report, () => describeValidation(report));
      if (!report.clean) {
        throw new AppError('CHECK_FAILED', 'drift found', { details: { reported: true } });
      }
      if (options.strict === true && report.incomplete.length > 0) {
        throw new AppError('COMPLETED_WITH_PROBLEMS', report.incomplete.join('; '), { details: { reported: true } });
      }
    });
}

/** `validate --quick`: grouped counts on both sides (src/validate/compare-counts.ts). */
async function validateCounts(options: ValidateOptions, ctx: CommandContext): Promise<void> {
  const conflicting = (
    [
      ['fix', '--fix'],
      ['dryRun', '--dry-run'],
      ['sample', '--sample'],
    ] as const
  )
    .filter(([option]) => options[option] !== undefined)
    .map(([, flag]) => flag);
  if (conflicting.length > 0) {
    throw new AppError('USAGE_INVALID', `--quick compares counts only: it does not take ${conflicting.join(', ')}`);
  }
  const settleMs = wholeNumberFlag('--settle', options.settle, 0, 600_000);
  const engine = engineFlag(options.engine);
  const { config } = ctx.config();
  const { buildAdminSearch } = await import('../../composition/admin-search.ts');
  const admin = await buildAdminSearch(config, ctx.logger(config), engine === undefined ? {} : { engine });
  let report: CountsReport;
  try {
    report = await admin.counts.execute({ settleMs });
  } finally {
    await admin.close();
  }
  ctx.output.result(report, () => describeCounts(report));
  if (!report.clean) throw new AppError('CHECK_FAILED', 'counts differ', { details: { reported: true } });
}

function durationFlag(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new AppError('USAGE_INVALID', `${flag} "${value}" is not a duration such as 30m or 1h`);
  return ms;
}
