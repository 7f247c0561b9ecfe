import type { FastifyPluginAsync } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { DependencyCheck } from '../../ports/health-check.ts';
import { cacheInvalidatingIndex } from '../../src/search/cache-invalidating-index.ts';
import type { Config } from '../config/config.ts';
import type { Handlers } from '../grpc/context.ts';
import { buildHandlers } from '../grpc/handlers/index.ts';
import { apiRoutes } from '../http/routes/api.ts';
import { asLogger } from '../logging/pino-logger.ts';
import { prometheusCoreMetrics } from '../prometheus/core-metrics.ts';
import type { MetricSet } from '../prometheus/metric-set.ts';
import { prometheusWorkerObserver } from '../worker/prometheus-worker-observer.ts';
import { type RunningIndexWorker, startIndexWorker } from '../worker/start-index-worker.ts';
import type { CacheAdapters } from './cache.ts';
import { buildCoreUseCases } from './core-use-cases.ts';
import type { Database } from './database.ts';
import { buildImageUseCases } from './images.ts';
import { buildSearchIndex } from './search.ts';

export interface DrivingAdaptersDeps {
  readonly config: Config;
  readonly logger: PinoLogger;
  readonly metrics: MetricSet;
  readonly database: Database;
  readonly caches: CacheAdapters;
}

export interface DrivingAdapters {
  readonly httpPlugins: readonly FastifyPluginAsync[];
  readonly grpcHandlers: Handlers;
  readonly checks: readonly DependencyCheck[];
  /** Stops background work (the indexing worker) and closes what the use cases opened. */
  close(): Promise<void>;
}

/** Builds the use cases on the driven adapters, then the REST routes and gRPC handlers that call them. */
export async function buildDrivingAdapters(deps: DrivingAdaptersDeps): Promise<DrivingAdapters> {
  const { config, metrics, database, caches } = deps;
  const search = buildSearchIndex(config, database.knex, asLogger(deps.logger.child({ component: 'search' })));
  // Set once the worker runs: a write committed here is claimed at once, not at the worker's next idle poll.
  let nudgeWorker = () => {};
  const useCases = buildCoreUseCases({
    onCommittedEnqueue: () => nudgeWorker(),
    searchIndex: search.searchIndex,
    searchTtlMs: config.cache.searchTtlMs,
    knex: database.knex,
    cache: caches.cache,
    metrics: prometheusCoreMetrics(metrics),
    listingTtlMs: config.cache.listingTtlMs,
  });
  const images = buildImageUseCases({ config, logger: deps.logger, useCases });
  try {
    await images.check.check(AbortSignal.timeout(config.health.checkTimeoutMs));
  } catch (error) {
    // As the original with MinIO: listings are served without it; uploads fail clearly until it answers.
    deps.logger.error({ err: error }, 'object store unavailable: image uploads will fail until it answers');
  }
  let worker: RunningIndexWorker | undefined;
  if (config.worker.enabled && config.features.asyncIndexing) {
    try {
      await search.writeIndex.ensureIndex();
      worker = startIndexWorker({
        outbox: useCases.repositories.outbox,
        listings: useCases.repositories.listings,
        searchIndex: cacheInvalidatingIndex(search.writeIndex, caches.cache),
        logger: asLogger(deps.logger.child({ component: 'worker' })),
        observer: prometheusWorkerObserver(metrics, search.engineAvailability),
        options: { concurrency: config.worker.concurrency },
      });
      const running = worker.worker;
      nudgeWorker = () => running.nudge();
    } catch (error) {
      // As the original: a search engine that is down at start-up does not stop the service. The outbox keeps
      // every change, so starting the worker later (a restart, or `listings worker`) loses nothing.
      deps.logger.error({ err: error }, 'search index unavailable: the indexing worker is not running');
    }
  }
  return {
    httpPlugins: [apiRoutes(images.useCases), images.httpPlugin],
    grpcHandlers: buildHandlers(images.useCases),
    checks: [search.check, images.check],
    async close() {
      await worker?.stop();
      await search.searchIndex.close();
      await images.close();
    },
  };
}
