import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { DependencyCheck } from '../../ports/health-check.ts';
import type { Config } from '../config/config.ts';
import { buildHttpApp } from '../http/app.ts';
import { HealthProbe } from '../http/health-probe.ts';
import { asLogger } from '../logging/pino-logger.ts';
import { httpMetricsPlugin } from '../prometheus/http-metrics.ts';
import { createMetricSet } from '../prometheus/metric-set.ts';
import { startMetricsListener } from '../prometheus/metrics-listener.ts';
import { buildTokenVerifier } from './auth.ts';
import { buildCacheAdapters } from './cache.ts';
import { openDatabase } from './database.ts';
import { instrumentDatabase } from './database-metrics.ts';
import { buildGrpcServer } from './grpc.ts';
import { GRPC_LISTENER, listenOrExplain, METRICS_LISTENER, REST_LISTENER } from './listen-failure.ts';
import { ensureSchema } from './schema-gate.ts';
import { buildDrivingAdapters } from './use-cases.ts';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface RunningService {
  readonly http: ListenAddress;
  readonly grpc: ListenAddress;
  /** The extra /metrics listener, when SVETULISTINGS_METRICS_PORT is set. */
  readonly metrics: ListenAddress | undefined;
  /**
   * Stops in the documented order: report not-ready (readiness 503, gRPC health NOT_SERVING), stop taking
   * requests and let those in flight finish, stop background work, close Redis and the database pool.
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
 * Starts `listings serve`: builds every adapter from the config (the composition root), the use cases on them,
 * then the driving adapters, and listens. Nothing else constructs adapters.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const closers: Closer[] = [];
  const closeAll = async () => {
    for (const closer of closers.splice(0).reverse()) {
      try {
        await closer.close();
      } catch (error) {
        logger.error({ err: error, resource: closer.name }, 'close failed');
      }
    }
  };
  const checks: DependencyCheck[] = [];
  let accepting = true;
  const metrics = createMetricSet();

  try {
    const database = await openDatabase(config, asLogger(logger));
    closers.push({ name: 'database', close: database.close });
    checks.push(database.check);
    const stopDatabaseMetrics = instrumentDatabase(database.knex, metrics);
    closers.push({ name: 'database metrics', close: async () => stopDatabaseMetrics() });
    await ensureSchema(database, { autoMigrate: options.autoMigrate ?? database.driver === 'pglite', logger });

    const caches = buildCacheAdapters(config, logger, metrics);
    closers.push({ name: 'redis', close: caches.close });
    checks.push(...caches.checks);

    const verifier = await buildTokenVerifier(config);
    const driving = await buildDrivingAdapters({ config, logger, metrics, database, caches });
    closers.push({ name: 'background work', close: driving.close });
    checks.push(...driving.checks);

    const probe = new HealthProbe(checks, {
      timeoutMs: config.health.checkTimeoutMs,
      cacheMs: config.health.cacheDurationMs,
    });
    const http = await buildHttpApp({
      logger: logger as unknown as FastifyBaseLogger,
      version: config.version,
      probe,
      bodyLimitBytes: config.http.maxBodyBytes,
      requestTimeoutMs: config.requestTimeoutMs,
      isAccepting: () => accepting,
      auth: { verifier },
      cors: {
        origins: config.cors.allowedOrigins,
        methods: config.cors.allowedMethods,
        headers: config.cors.allowedHeaders,
      },
      openapi: { version: config.version },
      // §7's table on REST; the catch-all rule is RATE_LIMIT_RPS per second with RATE_LIMIT_BURST. Counted in the
      // same metrics as the gRPC interceptor, with the route template as `method`.
      ...(caches.rateLimiter
        ? {
            rateLimit: {
              consume: caches.rateLimiter.consume.bind(caches.rateLimiter),
              rules: { other: { limit: config.rateLimit.rps, windowMs: 1000, burst: config.rateLimit.burst } },
              observer: {
                onRateLimit(route: string, identifierType: 'user_id' | 'ip', allowed: boolean) {
                  const labels = { method: route, identifier_type: identifierType };
                  metrics.rateLimitHits.inc(labels);
                  (allowed ? metrics.rateLimitAllowed : metrics.rateLimitRejected).inc(labels);
                },
              },
            },
          }
        : {}),
      plugins: [httpMetricsPlugin(metrics), ...driving.httpPlugins, ...(options.extraHttpPlugins ?? [])],
    });
    await listenOrExplain(REST_LISTENER, config.http.host, config.http.port, () =>
      http.listen({ host: config.http.host, port: config.http.port }),
    );
    closers.push({ name: 'http', close: () => http.close() });
    const httpPort = (http.server.address() as AddressInfo).port;
    logger.info({ host: config.http.host, port: httpPort }, 'http listening');

    const grpc = buildGrpcServer({
      config,
      logger,
      metrics,
      handlers: driving.grpcHandlers,
      verifier,
      rateLimiter: caches.rateLimiter,
    });
    const grpcPort = await listenOrExplain(GRPC_LISTENER, config.grpc.host, config.grpc.port, () =>
      grpc.listen(config.grpc.host, config.grpc.port),
    );
    closers.push({ name: 'grpc', close: () => grpc.shutdown(config.shutdownTimeoutMs) });
    logger.info({ host: config.grpc.host, grpc_port: grpcPort }, 'grpc listening');

    let metricsAddress: ListenAddress | undefined;
    if (config.metrics.port !== undefined) {
      const { host, port } = config.metrics;
      const listener = await listenOrExplain(METRICS_LISTENER, host, port, () =>
        startMetricsListener(metrics.registry, host, port),
      );
      metricsAddress = { host: config.metrics.host, port: listener.port };
      closers.push({ name: 'metrics listener', close: listener.close });
      logger.info({ host: config.metrics.host, metrics_port: listener.port }, 'metrics listening');
    }
    logger.info(
      {
        database: config.database.driver,
        database_location: database.location,
        cache: config.cache.driver,
        search: config.search.engine,
        storage: config.storage.driver,
        data_dir: config.dataDir,
      },
      'listings serve started',
    );

    let stopping: Promise<void> | undefined;
    return {
      http: { host: config.http.host, port: httpPort },
      grpc: { host: config.grpc.host, port: grpcPort },
      metrics: metricsAddress,
      stop(reason) {
        stopping ??= (async () => {
          logger.info({ reason }, 'shutting down');
          accepting = false;
          grpc.setServing(false);
          // Intake stops on both surfaces at once; each waits for its own in-flight calls.
          const servers = closers.filter(
            (c) => c.name === 'http' || c.name === 'grpc' || c.name === 'metrics listener',
          );
          for (const server of servers) closers.splice(closers.indexOf(server), 1);
          await Promise.all(
            servers.map((s) =>
              s.close().catch((error: unknown) => logger.error({ err: error, resource: s.name }, 'close failed')),
            ),
          );
          await closeAll();
          logger.info('shutdown complete');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
