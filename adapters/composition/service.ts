import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { DependencyCheck } from '../../ports/health-check.ts';
import type { Config } from '../config/config.ts';
import { buildHttpApp } from '../http/app.ts';
import { HealthProbe } from '../http/health-probe.ts';
import { httpMetricsPlugin } from '../prometheus/http-metrics.ts';
import { createMetricSet } from '../prometheus/metric-set.ts';
import { startMetricsListener } from '../prometheus/metrics-listener.ts';
import { openDatabase } from './database.ts';
import { ensureSchema } from './schema-gate.ts';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface RunningService {
  readonly http: ListenAddress;
  /** The extra /metrics listener, when SVETULISTINGS_METRICS_PORT is set. */
  readonly metrics: ListenAddress | undefined;
  /**
   * Stops in the documented order: refuse new work and report not-ready, let in-flight requests
   * finish, stop background work, close pools. Resolves when everything is closed.
   */
  stop(reason: string): Promise<void>;
}

export interface StartServiceOptions {
  readonly config: Config;
  readonly logger: PinoLogger;
  /** Extra HTTP plugins, for tests that need a route the product does not have (e.g. a slow one). */
  readonly extraHttpPlugins?: readonly FastifyPluginAsync[];
  /** Apply pending migrations at start-up. Default: yes for the embedded PGlite, no for PostgreSQL. */
  readonly autoMigrate?: boolean;
}

/** Closes resources in reverse order of opening. */
type Closer = { name: string; close: () => Promise<void> };

/**
 * Starts `listings serve`: builds every adapter from the config (the composition root), then the
 * driving adapters, and listens. Later capabilities plug in here; nothing else constructs adapters.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const closers: Closer[] = [];
  const checks: DependencyCheck[] = [];
  let accepting = true;
  const metrics = createMetricSet();

  const database = await openDatabase(config);
  closers.push({ name: 'database', close: database.close });
  checks.push(database.check);
  try {
    await ensureSchema(database, { autoMigrate: options.autoMigrate ?? database.driver === 'pglite', logger });
  } catch (error) {
    await database.close();
    throw error;
  }

  const probe = new HealthProbe(checks, {
    timeoutMs: config.health.checkTimeoutMs,
    cacheMs: config.health.cacheDurationMs,
  });
  const http: FastifyInstance = await buildHttpApp({
    logger: logger as unknown as FastifyBaseLogger,
    version: config.version,
    probe,
    bodyLimitBytes: config.http.maxBodyBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    isAccepting: () => accepting,
    plugins: [httpMetricsPlugin(metrics), ...(options.extraHttpPlugins ?? [])],
  });
  await http.listen({ host: config.http.host, port: config.http.port });
  const httpAddress = http.server.address() as AddressInfo;
  logger.info({ host: config.http.host, port: httpAddress.port }, 'http listening');
  let metricsAddress: ListenAddress | undefined;
  if (config.metrics.port !== undefined) {
    const listener = await startMetricsListener(metrics.registry, config.metrics.host, config.metrics.port);
    metricsAddress = { host: config.metrics.host, port: listener.port };
    closers.push({ name: 'metrics listener', close: listener.close });
    logger.info(metricsAddress, 'metrics listening');
  }
  logger.info(
    {
      database: config.database.driver,
      cache: config.cache.driver,
      search: config.search.engine,
      storage: config.storage.driver,
      data_dir: config.dataDir,
    },
    'listings serve started',
  );

  let stopping: Promise<void> | undefined;
  return {
    http: { host: config.http.host, port: httpAddress.port },
    metrics: metricsAddress,
    stop(reason) {
      stopping ??= (async () => {
        logger.info({ reason }, 'shutting down');
        accepting = false;
        // Fastify stops accepting connections and waits for in-flight requests before resolving.
        await http.close();
        for (const closer of closers.reverse()) {
          try {
            await closer.close();
          } catch (error) {
            logger.error({ err: error, resource: closer.name }, 'close failed');
          }
        }
        logger.info('shutdown complete');
      })();
      return stopping;
    },
  };
}
