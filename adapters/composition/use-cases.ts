import type { FastifyPluginAsync } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { DependencyCheck } from '../../ports/health-check.ts';
import type { Config } from '../config/config.ts';
import type { Handlers } from '../grpc/context.ts';
import type { MetricSet } from '../prometheus/metric-set.ts';
import type { CacheAdapters } from './cache.ts';
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

/** Builds the use cases on the driven adapters and the REST routes and gRPC handlers that call them. */
export async function buildDrivingAdapters(_deps: DrivingAdaptersDeps): Promise<DrivingAdapters> {
  return { httpPlugins: [], grpcHandlers: {}, checks: [], close: async () => {} };
}
