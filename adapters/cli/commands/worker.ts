import type { Command } from 'commander';
import type { Logger as PinoLogger } from 'pino';
import { AppError } from '../../../src/domain/errors.ts';
import { openDatabase } from '../../composition/database.ts';
import { ensureSchema } from '../../composition/schema-gate.ts';
import { buildSearchIndex } from '../../composition/search.ts';
import type { Config } from '../../config/config.ts';
import { PREFIX } from '../../config/reader.ts';
import { asLogger } from '../../logging/pino-logger.ts';
import { createMetricSet } from '../../prometheus/metric-set.ts';
import { startMetricsListener } from '../../prometheus/metrics-listener.ts';
import { createPlainRepositories } from '../../sql/sql-repositories.ts';
import { prometheusWorkerObserver } from '../../worker/prometheus-worker-observer.ts';
import { startIndexWorker } from '../../worker/start-index-worker.ts';
import type { CommandContext } from '../context.ts';
import { waitForShutdownSignal } from '../shutdown-signal.ts';

interface WorkerOptions {
  readonly concurrency?: string;
  readonly batchSize?: string;
  readonly migrate?: boolean;
  readonly drain?: boolean;
}

/**
 * `listings worker`: only the indexing worker (no REST or gRPC), for deployments that scale indexing apart from
 * serving. Metrics on SVETULISTINGS_METRICS_PORT when set. `--drain` processes every due job once and exits.
 */
export function registerWorkerCommand(program: Command, context: () => CommandContext): void {
  program
    .command('worker')
    .description('run only the indexing worker (no REST or gRPC) until SIGTERM/SIGINT')
    .option('--concurrency <n>', 'claim loops (overrides SVETULISTINGS_WORKER_CONCURRENCY, default 5)')
    .option('--batch-size <n>', 'jobs per claim, 1..1000', '500')
    .option('--migrate', 'apply pending schema migrations first (always done for the embedded database)')
    .option('--drain', 'process every due job once, print the counts and exit (jobs waiting for a retry stay)')
    .addHelpText(
      'after',
      '\nOn SIGTERM or SIGINT the worker finishes the batches in flight (their jobs are completed or failed, never ' +
        'abandoned) and exits 0 within SVETULISTINGS_SHUTDOWN_TIMEOUT; jobs of a killed worker are taken over by ' +
        'another claim when their 30 s lease runs out.',
    )
    .action(async (options: WorkerOptions) => {
      const ctx = context();
      const flags: Record<string, string> = {};
      if (options.concurrency !== undefined) flags[`${PREFIX}WORKER_CONCURRENCY`] = options.concurrency;
      const { config } = ctx.config(flags);
      const logger = ctx.logger(config);
      const batchSize = Number(options.batchSize ?? '500');
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
        throw new AppError(
          'USAGE_INVALID',
          `--batch-size must be a whole number from 1 to 1000, got "${options.batchSize}"`,
        );
      }
      const running = await startWorkerProcess(config, logger, {
        batchSize,
        autoMigrate: options.migrate === true,
        start: options.drain !== true,
      });
      if (options.drain === true) {
        try {
          const report = await running.worker.drain({ until: 'empty' });
          const stats = await running.worker.refreshStats();
          ctx.output.result({ ...report, queue: stats }, () =>
            [
              `batches: ${report.batches}`,
              `completed: ${report.completed}`,
              `retrying: ${report.retried}`,
              `dead: ${report.dead}`,
              `lease lost: ${report.leaseLost}`,
            ].join('\n'),
          );
        } finally {
          await running.stop();
        }
        return;
      }
      await waitForShutdownSignal(logger, config.shutdownTimeoutMs, () => running.stop());
    });
}

interface WorkerProcess {
  readonly worker: ReturnType<typeof startIndexWorker>['worker'];
  /** Stops the loops (finishing batches in flight), then closes the metrics listener, the index and the pool. */
  stop(): Promise<void>;
}

/**
 * Builds what the worker needs from the config and starts it (or only builds it, for `--drain`).
 * Construction belongs to the composition root; it lives here until `adapters/composition` offers a worker builder.
 */
async function startWorkerProcess(
  config: Config,
  logger: PinoLogger,
  options: { readonly batchSize: number; readonly autoMigrate: boolean; readonly start: boolean },
): Promise<WorkerProcess> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        logger.error({ err: error }, 'close failed');
      }
    }
  };
  try {
    const database = await openDatabase(config);
    closers.push(database.close);
    await ensureSchema(database, { autoMigrate: options.autoMigrate || database.driver === 'pglite', logger });
    const { writeIndex: searchIndex } = buildSearchIndex(config, database.knex, asLogger(logger));
    closers.push(() => searchIndex.close());
    await searchIndex.ensureIndex();
    const metrics = createMetricSet();
    if (config.metrics.port !== undefined) {
      const listener = await startMetricsListener(metrics.registry, config.metrics.host, config.metrics.port);
      closers.push(listener.close);
      logger.info({ host: config.metrics.host, metrics_port: listener.port }, 'metrics listening');
    }
    const repositories = createPlainRepositories(database.knex);
    const started = startIndexWorker({
      outbox: repositories.outbox,
      listings: repositories.listings,
      searchIndex,
      logger: asLogger(logger.child({ component: 'worker' })),
      observer: prometheusWorkerObserver(metrics),
      options: { concurrency: config.worker.concurrency, batchSize: options.batchSize },
      start: options.start,
    });
    closers.push(() => started.stop());
    logger.info(
      { database: config.database.driver, search: searchIndex.engine, concurrency: config.worker.concurrency },
      'listings worker started',
    );
    return { worker: started.worker, stop: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
