import type { Logger as PinoLogger } from 'pino';
import { openDatabase } from '../../composition/database.ts';
import { ensureSchema } from '../../composition/schema-gate.ts';
import { buildSearchIndex } from '../../composition/search.ts';
import type { Config } from '../../config/config.ts';
import { asLogger } from '../../logging/pino-logger.ts';
import { createMetricSet } from '../../prometheus/metric-set.ts';
import { startMetricsListener } from '../../prometheus/metrics-listener.ts';
import { createPlainRepositories } from '../../sql/sql-repositories.ts';
import { prometheusWorkerObserver } from '../../worker/prometheus-worker-observer.ts';
import { startIndexWorker } from '../../worker/start-index-worker.ts';

/** The implementation of `listings worker` (./worker.ts), imported only when the command runs. */

export interface WorkerProcess {
  readonly worker: ReturnType<typeof startIndexWorker>['worker'];
  /** Stops the loops (finishing batches in flight), then closes the metrics listener, the index and the pool. */
  stop(): Promise<void>;
}

/**
 * Builds what the worker needs from the config and starts it (or only builds it, for `--drain`).
 * Construction belongs to the composition root; it lives here until `adapters/composition` offers a worker builder.
 */
export async function startWorkerProcess(
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
    const database = await openDatabase(config, asLogger(logger));
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
