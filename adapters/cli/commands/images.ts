import type { Command } from 'commander';
import { AppError } from '../../../src/domain/errors.ts';
import {
  CollectOrphanImages,
  type CollectOrphansReport,
  DEFAULT_GRACE_MS,
} from '../../../src/images/collect-orphans.ts';
import type { Config } from '../../config/config.ts';
import { formatDuration, parseDuration } from '../../config/duration.ts';
import { systemClock } from '../../system/system-clock.ts';
import { confirmDestructive } from '../confirm.ts';
import type { CommandContext } from '../context.ts';

interface GcOptions {
  readonly dryRun?: boolean;
  readonly olderThan: string;
}

/** Progress lines for a non-terminal stderr: at most one per this many milliseconds. */
const PROGRESS_INTERVAL_MS = 5000;

/**
 * `listings images …`: maintenance of the listing images in object storage.
 * - `gc`: deletes image folders no `listing_images` row points at, older than a grace period (src/images/
 *   collect-orphans.ts). Destructive: asks on a terminal, needs `--yes` in scripts; `--dry-run` only reports.
 */
export function registerImagesCommand(program: Command, context: () => CommandContext): void {
  const images = program.command('images').description('maintain the listing images in object storage');
  images
    .command('gc')
    .description(
      'delete image objects (original and thumbnails) that no listing_images row points at; folders with an ' +
        'object younger than --older-than are kept, so uploads in progress are safe. Keys outside ' +
        'listings/<id>/<uuid>/ are never touched.',
    )
    .option('--dry-run', 'report what would be deleted, delete nothing')
    .option('--older-than <duration>', 'grace period (Go duration: 30m, 1h, 24h)', formatDuration(DEFAULT_GRACE_MS))
    .action(async (options: GcOptions) => {
      const olderThanMs = parseDuration(options.olderThan);
      if (olderThanMs === undefined) {
        throw new AppError('USAGE_INVALID', `--older-than "${options.olderThan}" is not a duration such as 30m or 1h`);
      }
      const ctx = context();
      const { config } = ctx.config();
      const dryRun = options.dryRun === true;
      const where = storageLocation(config);
      if (!dryRun) {
        await confirmDestructive(
          `delete image objects without a listing_images row, older than ${options.olderThan}, from ${where}?`,
          { yes: ctx.options.yes === true },
        );
      }
      // Loaded here, not at the top: registering the command must not load the drivers.
      const [{ openDatabase }, { buildObjectStore }, { KnexImageKeyIndex }] = await Promise.all([
        import('../../composition/database.ts'),
        import('../../composition/storage.ts'),
        import('../../sql/knex-image-key-index.ts'),
      ]);
      const database = await openDatabase(config);
      const { store } = buildObjectStore(config);
      try {
        const collector = new CollectOrphanImages({
          store,
          keys: new KnexImageKeyIndex(database.knex),
          clock: systemClock,
        });
        const report = await collector.execute({ olderThanMs, dryRun, onProgress: progressWriter() });
        if (process.stderr.isTTY && !ctx.output.json) process.stderr.write('\n');
        ctx.output.result({ storage: where, ...report }, () => describe(report, options.olderThan));
      } finally {
        await store.close();
        await database.close();
      }
    });
}

function storageLocation(config: Config): string {
  return config.storage.driver === 'minio'
    ? `MinIO bucket ${config.minio.bucket} at ${config.minio.endpoint}`
    : `folder ${config.storage.directory}`;
}

/** A live counter on a terminal; a JSON line every few seconds otherwise (logs and progress go to stderr). */
function progressWriter(): (report: CollectOrphansReport) => void {
  let last = Date.now();
  return (report) => {
    if (process.stderr.isTTY) {
      process.stderr.write(`\rscanned ${report.scannedObjects} objects, ${report.orphanObjects} orphans`);
      return;
    }
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    const { scannedObjects, orphanObjects, deletedObjects } = report;
    process.stderr.write(`${JSON.stringify({ progress: { scannedObjects, orphanObjects, deletedObjects } })}\n`);
  };
}

function describe(report: CollectOrphansReport, olderThan: string): string {
  const verb = report.dryRun ? 'would delete' : 'deleted';
  const count = report.dryRun ? report.orphanObjects : report.deletedObjects;
  const lines = [
    `${verb} ${count} orphan object(s), ${report.orphanBytes} bytes (no row, older than ${olderThan})`,
    `scanned ${report.scannedObjects}: kept ${report.referencedObjects} referenced, ${report.recentObjects} recent, ` +
      `${report.foreignObjects} outside the upload layout`,
  ];
  if (report.dryRun) lines.push(...report.orphanKeys.map((key) => `  ${key}`));
  return lines.join('\n');
}
