import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, LogController } from 'fastify';
import type { TokenVerifier } from '../../ports/token-verifier.ts';
import { NoneVerifier } from '../auth/none-verifier.ts';
import { acceptableRequestId, newRequestId } from '../request-id.ts';
import { accessLogHook } from './access-log.ts';
import { answerClientError, frameworkErrorHandler } from './edge-errors.ts';
import { installErrorHandling } from './error-handler.ts';
import type { HealthProbe } from './health-probe.ts';
import { installAuthentication, publicRoutes } from './plugins/authentication.ts';
import { RouteMethods } from './plugins/method-not-allowed.ts';
import { installOpenApi } from './plugins/openapi.ts';
import { type HttpRateLimitOptions, installRateLimit } from './plugins/rate-limit.ts';
import { type CorsOptions, installCors, installSecurityHeaders } from './plugins/security.ts';
import { installTimeouts } from './plugins/timeouts.ts';
import { addSharedSchemas } from './problem-schema.ts';
import { lazyChildLogger } from './request-logger.ts';
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
  /** Verifies bearer tokens. Default: none configured, so every caller is anonymous and any token is refused. */
  readonly auth?: { readonly verifier: TokenVerifier };
  /** Cross-origin access for browsers. Default: none (same-origin only). */
  readonly cors?: CorsOptions;
  /** The OpenAPI document and docs page; `false` serves neither. Default: on, with `version` as its version. */
  readonly openapi?: { readonly version?: string } | false;
  /** Deadline of routes without `config.timeout`, in milliseconds. Default 30 s. */
  readonly defaultRouteTimeoutMs?: number;
  /** Per-route-kind request limits (plugins/rate-limit.ts). Default: none, every request is let through. */
  readonly rateLimit?: HttpRateLimitOptions;
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
    // request.log is a pino child made only when something is logged through it (request-logger.ts).
    childLoggerFactory: lazyChildLogger,
    // The caller's x-request-id when it is a plain short token (as gRPC takes it), else a fresh one: Fastify's own
    // requestIdHeader would take any value, however long or odd, into every log line and the echoed header.
    requestIdHeader: false,
    genReqId: (raw) => acceptableRequestId(raw.headers['x-request-id']) ?? newRequestId(),
    bodyLimit: options.bodyLimitBytes,
    requestTimeout: options.requestTimeoutMs,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Fastify answers a longer path parameter itself (414, not a problem document); let it reach the route, whose
    // schema rejects a bad id with a proper 400, and whose wildcard serves object keys up to 1024 bytes.
    routerOptions: { maxParamLength: 2048 },
    // A path that does not decode, or bytes the HTTP parser refuses, get a problem document like any other error.
    frameworkErrors: frameworkErrorHandler(options.logger),
    clientErrorHandler: answerClientError,
  });

  app.decorateRequest('routeFacts', null);
  // Sync hooks (done callbacks): an async hook costs a promise and a microtask turn per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // Responses finished during shutdown close their connection, so keep-alive sockets of in-flight
  // requests do not hold `close()` open until the keep-alive timeout.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!options.isAccepting()) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', accessLogHook(options.logger));

  // Order matters: these add onRoute/onRequest hooks that must see every route and run before handlers.
  const routeMethods = new RouteMethods();
  routeMethods.track(app);
  installErrorHandling(app, { allowedMethods: (request) => routeMethods.allowedMethods(request) });
  addSharedSchemas(app);
  installSecurityHeaders(app);
  // CORS before authentication, so a preflight (which carries no token) is answered first.
  if (options.cors) await installCors(app, options.cors);
  installTimeouts(app, options.defaultRouteTimeoutMs === undefined ? {} : { defaultMs: options.defaultRouteTimeoutMs });
  installAuthentication(app, { verifier: options.auth?.verifier ?? new NoneVerifier() });
  // After authentication: the budget is the principal's when there is one.
  if (options.rateLimit) installRateLimit(app, options.rateLimit);
  if (options.openapi !== false) await installOpenApi(app, { version: options.openapi?.version ?? options.version });

  await app.register(publicRoutes(healthRoutes), {
    probe: options.probe,
    version: options.version,
    startedAt: options.startedAt ?? Date.now(),
    isAccepting: options.isAccepting,
    startupGraceMs: 5000,
  });
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  return app;
}
