import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { installErrorHandling } from './error-handler.ts';
import type { HealthProbe } from './health-probe.ts';
import { healthRoutes } from './routes/health.ts';

export interface HttpAppOptions {
  readonly logger: FastifyBaseLogger;
  readonly version: string;
  readonly probe: HealthProbe;
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  readonly isAccepting: () => boolean;
  readonly startedAt?: number;
  /** Route plugins registered by the composition root (listings API, metrics...). */
  readonly plugins?: readonly FastifyPluginAsync[];
}

/**
 * Builds the Fastify app without listening, so tests drive the whole request lifecycle with `inject()`
 * and the composition root decides where it listens.
 */
export async function buildHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    // One access line per request is written by the onResponse hook below, not two by Fastify.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: options.bodyLimitBytes,
    requestTimeout: options.requestTimeoutMs,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Responses finished during shutdown close their connection, so keep-alive sockets of in-flight
  // requests do not hold `close()` open until the keep-alive timeout.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!options.isAccepting()) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 100) / 100,
        remote: request.ip,
      },
      'request',
    );
  });

  installErrorHandling(app);
  await app.register(healthRoutes, {
    probe: options.probe,
    version: options.version,
    startedAt: options.startedAt ?? Date.now(),
    isAccepting: options.isAccepting,
    startupGraceMs: 5000,
  });
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  return app;
}
