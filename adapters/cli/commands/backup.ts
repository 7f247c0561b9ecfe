import { type Command, Option } from 'commander';
import { listBackups } from '../../../src/backup/list-backups.ts';
import { DEFAULT_RETENTION } from '../../../src/backup/retention.ts';
import type { VerifyReport } from '../../../src/backup/verify-backup.ts';
import { AppError } from '../../../src/domain/errors.ts';
import type { BackupUseCases } from '../../composition/backup.ts';
import { systemClock } from '../../system/system-clock.ts';
import { confirmDestructive } from '../confirm.ts';
import type { CommandContext } from '../context.ts';
import { VERSION } from '../version.ts';
import {
  describeCreate,
  describeList,
  describePrune,
  describeRestore,
  describeVerify,
  progressWriter,
  redactUrl,
} from './backup-describe.ts';
import { renderBackupMetrics, writeMetricsFile } from './backup-metrics.ts';

interface RepoOptions {
  readonly repo?: string;
  readonly to?: string;
  readonly pgBinDir?: string;
  readonly stagingDir?: string;
  readonly scratchUrl?: string;
  readonly metricsFile?: string;
}

/**
 * `listings backup create | list | verify | restore | prune` (ops-scripts §2.9): logical backups of the database
 * (pg_dump custom/directory, or PGlite's data directory) with a checksummed manifest, into a folder or a MinIO/S3
 * bucket; a verify ladder; a guarded restore; grandfather-father-son pruning, dry run unless --yes.
 */
export function registerBackupCommand(program: Command, context: () => CommandContext): void {
  const backup = program
    .command('backup')
    .description('consistent backups of the database (and optionally images), to a folder or MinIO');

  withRepo(backup.command('create'), { alias: true })
    .description('dump the database in one snapshot into a new backup; the manifest is written last')
    .addOption(new Option('--format <format>', 'pg_dump format').choices(['custom', 'directory']).default('custom'))
    .option('--jobs <n>', 'parallel pg_dump jobs (directory format)', '2')
    .option('--with-objects', 'also copy the image objects the snapshot references, with their checksums')
    .option('--dry-run', 'report what would be dumped and where, write nothing')
    .action(
      async (
        options: RepoOptions & {
          format: 'custom' | 'directory';
          jobs: string;
          withObjects?: boolean;
          dryRun?: boolean;
        },
        command: Command,
      ) => {
        const jobs = wholeNumber('--jobs', options.jobs, 1);
        await withBackups(context, options, async (backups, ctx) => {
          const embedded = ctx.config().config.database.driver === 'pglite';
          if (embedded && command.getOptionValueSource('format') === 'cli') {
            throw new AppError(
              'USAGE_INVALID',
              'the embedded database is backed up as its data directory; --format is for PostgreSQL',
            );
          }
          const report = await backups.create.execute({
            format: embedded ? 'pglite-datadir' : options.format,
            jobs,
            withObjects: options.withObjects === true,
            dryRun: options.dryRun === true,
            onProgress: progressWriter(ctx.output.json),
          });
          ctx.output.result({ repository: backups.repository.location, ...report }, () =>
            describeCreate(report, backups.repository.location),
          );
        });
      },
    );

  withRepo(backup.command('list'))
    .description('every backup: id, time, type, size, age, last verify result and time')
    .action(async (options: RepoOptions) => {
      await withBackups(context, options, async (backups, ctx) => {
        const listing = await listBackups(backups.repository.folder, systemClock);
        ctx.output.result({ repository: backups.repository.location, ...listing }, () => describeList(listing.backups));
      });
    });

  withRepo(backup.command('verify'))
    .description(
      'check a backup (default: the newest complete one) step by step: (1) manifest, (2) files and checksums, ' +
        '(3) table of contents, (4) with --restore a test restore into a scratch database. Exit 1 on any failure.',
    )
    .argument('[id]', 'the backup id (see backup list)')
    .option('--restore', 'also restore into a scratch database and compare row counts and schema version')
    .option('--all', 'verify every complete backup; exit 1 if any fails')
    .option('--scratch-url <url>', 'PostgreSQL server for the scratch database (default: the configured one)')
    .action(async (id: string | undefined, options: RepoOptions & { restore?: boolean; all?: boolean }) => {
      if (id !== undefined && options.all) throw new AppError('USAGE_INVALID', 'give a backup id or --all, not both');
      await withBackups(
        context,
        options,
        async (backups, ctx) => {
          const ids = await idsToVerify(backups, id, options.all === true);
          const reports: VerifyReport[] = [];
          for (const backupId of ids)
            reports.push(await backups.verify.execute(backupId, { restore: options.restore === true }));
          const result = {
            repository: backups.repository.location,
            passed: reports.every((r) => r.passed),
            reports: reports.map(withoutManifest),
          };
          ctx.output.result(result, () => reports.map(describeVerify).join('\n\n'));
          await exportMetrics(backups, options);
          const failed = reports.filter((r) => !r.passed);
          if (failed.length > 0) {
            throw new AppError('CHECK_FAILED', `verify failed for ${failed.map((r) => r.id).join(', ')}`, {
              details: { reported: true },
            });
          }
        },
        false,
      );
    });

  withRepo(backup.command('restore'))
    .description(
      'restore a backup into the database you name (destructive: checks every checksum first, refuses a ' +
        'non-empty target without --clean, asks on a terminal, --yes for scripts); reports row counts vs the manifest',
    )
    .argument('<id>', 'the backup id (see backup list)')
    .requiredOption('--target <dsn|dir>', 'PostgreSQL URL of an existing database, or a PGlite data directory')
    .option('--clean', "the target holds tables: drop and recreate the backup's objects in it (pg_restore --clean)")
    .option('--with-objects', "also put the backup's image objects back into the configured image store")
    .option('--dry-run', 'run the checks and report what would be restored, write nothing')
    .action(
      async (
        id: string,
        options: RepoOptions & { target: string; clean?: boolean; withObjects?: boolean; dryRun?: boolean },
      ) => {
        await withBackups(context, options, async (backups, ctx) => {
          const report = await backups.restore.execute(id, {
            target: options.target,
            targetLabel: redactUrl(options.target),
            clean: options.clean === true,
            dryRun: options.dryRun === true,
            withObjects: options.withObjects === true,
            confirm: (question) => confirmDestructive(question, { yes: ctx.options.yes === true }),
          });
          ctx.output.result(report, () => describeRestore(report));
          if (!report.dryRun && !report.matches) {
            throw new AppError('CHECK_FAILED', 'the restored database differs from the manifest', {
              details: { reported: true },
            });
          }
        });
      },
    );

  withRepo(backup.command('prune'))
    .description(
      'delete backups outside the grandfather-father-son set (newest per day, ISO week and month for the last N ' +
        'of each that have backups; never the newest or the newest verified). A dry run unless --yes.',
    )
    .option('--keep-daily <n>', 'days with backups to keep one of', String(DEFAULT_RETENTION.daily))
    .option('--keep-weekly <n>', 'ISO weeks with backups to keep one of', String(DEFAULT_RETENTION.weekly))
    .option('--keep-monthly <n>', 'months with backups to keep one of', String(DEFAULT_RETENTION.monthly))
    .option('--dry-run', 'only report (the default without --yes)')
    .action(
      async (
        options: RepoOptions & { keepDaily: string; keepWeekly: string; keepMonthly: string; dryRun?: boolean },
      ) => {
        const policy = {
          daily: wholeNumber('--keep-daily', options.keepDaily, 0),
          weekly: wholeNumber('--keep-weekly', options.keepWeekly, 0),
          monthly: wholeNumber('--keep-monthly', options.keepMonthly, 0),
        };
        await withBackups(context, options, async (backups, ctx) => {
          // As WAL-G's `delete --confirm`: deleting needs an explicit --yes, even on a terminal.
          const dryRun = options.dryRun === true || ctx.options.yes !== true;
          const report = await backups.prune.execute({ policy, dryRun });
          ctx.output.result({ repository: backups.repository.location, ...report }, () => describePrune(report));
        });
      },
    );
}

function withRepo(command: Command, options: { alias?: boolean } = {}): Command {
  command
    .addOption(
      new Option(
        '--repo <folder|s3://bucket/prefix>',
        'where backups live: a folder, or a bucket on the configured MinIO',
      ).env('SVETULISTINGS_BACKUP_REPO'),
    )
    .addOption(new Option('--pg-bin-dir <dir>', 'folder of pg_dump/pg_restore').env('SVETULISTINGS_BACKUP_PG_BIN_DIR'))
    .option('--staging-dir <dir>', 'local folder for directory-format staging (default: the system temp folder)')
    .option('--metrics-file <path>', 'also write the backup metrics there (node_exporter textfile collector)');
  if (options.alias) command.addOption(new Option('--to <target>', 'same as --repo').hideHelp());
  return command;
}

async function withBackups(
  context: () => CommandContext,
  options: RepoOptions,
  work: (backups: BackupUseCases, ctx: CommandContext) => Promise<void>,
  metricsAfter = true,
): Promise<void> {
  const repo = options.repo ?? options.to;
  if (repo === undefined) {
    throw new AppError(
      'USAGE_INVALID',
      'say where backups live: --repo <folder|s3://bucket/prefix> or SVETULISTINGS_BACKUP_REPO',
    );
  }
  const ctx = context();
  const { config } = ctx.config();
  // Loaded here, not at the top: registering the command must not load the database and storage drivers.
  const { buildBackupUseCases } = await import('../../composition/backup.ts');
  const backups = buildBackupUseCases(config, {
    repo,
    clock: systemClock,
    producer: `listings ${VERSION}`,
    tools: {
      ...(options.pgBinDir ? { binDir: options.pgBinDir } : {}),
      ...(options.stagingDir ? { stagingDir: options.stagingDir } : {}),
      ...(options.scratchUrl ? { scratchUrl: options.scratchUrl } : {}),
    },
  });
  try {
    await work(backups, ctx);
    if (metricsAfter) await exportMetrics(backups, options);
  } finally {
    await backups.close();
  }
}

async function exportMetrics(backups: BackupUseCases, options: RepoOptions): Promise<void> {
  if (options.metricsFile === undefined) return;
  const { health } = await listBackups(backups.repository.folder, systemClock);
  await writeMetricsFile(options.metricsFile, renderBackupMetrics(health, backups.repository.location));
}

async function idsToVerify(backups: BackupUseCases, id: string | undefined, all: boolean): Promise<string[]> {
  if (id !== undefined) return [id];
  const complete = (await backups.repository.folder.list()).filter((b) => b.hasManifest).map((b) => b.id);
  if (complete.length === 0)
    throw new AppError('OBJECT_NOT_FOUND', `no complete backup in ${backups.repository.location}`);
  return all ? complete : [complete.at(-1) as string];
}

function withoutManifest(report: VerifyReport) {
  const { manifest: _manifest, ...rest } = report;
  return rest;
}

function wholeNumber(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new AppError('USAGE_INVALID', `${flag} must be a whole number of at least ${min}, got "${text}"`);
  }
  return value;
}
