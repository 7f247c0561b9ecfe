import type { FastifyPluginAsync } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { DependencyCheck } from '../../ports/health-check.ts';
import type { Config } from '../config/config.ts';
import type { Handlers } from '../grpc/context.ts';
import { buildHandlers } from '../grpc/handlers/index.ts';
import { apiRoutes } from '../http/routes/api.ts';
import { prometheusCoreMetrics } from '../prometheus/core-metrics.ts';
import type { MetricSet } from '../prometheus/metric-set.ts';
import type { CacheAdapters } from './cache.ts';
import { buildCoreUseCases } from './core-use-cases.ts';
import type { Database } from './database.ts';

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
  const useCases = buildCoreUseCases({
    knex: database.knex,
    cache: caches.cache,
    metrics: prometheusCoreMetrics(metrics),
    listingTtlMs: config.cache.listingTtlMs,
  });
  return {
    httpPlugins: [apiRoutes(useCases)],
    grpcHandlers: buildHandlers(useCases),
    checks: [],
    close: async () => {},
  };
}
