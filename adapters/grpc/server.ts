import { Server, ServerCredentials, type ServerOptions, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { GrpcLogger, Handlers, Interceptor } from './context.ts';
import { accessLogInterceptor } from './interceptors/access-log.ts';
import { type AuthOptions, authInterceptor } from './interceptors/auth.ts';
import { type DeadlineOptions, deadlineInterceptor } from './interceptors/deadline.ts';
import { type GrpcMetricsObserver, metricsInterceptor } from './interceptors/metrics.ts';
import { type RateLimitOptions, rateLimitInterceptor } from './interceptors/rate-limit.ts';
import { requestIdInterceptor } from './interceptors/request-id.ts';
import { encodedOncePerFrozenMessage } from './mappers/shared-messages.ts';
import { addReflection } from './reflection/reflection.ts';
import { RPCS, SERVICE_NAME } from './rpcs.ts';
import { type AnyUnaryHandler, unaryCall } from './unary-call.ts';

export interface InterceptorsOptions {
  readonly deadline?: DeadlineOptions;
  /** Without it every caller is anonymous and a presented token is refused. */
  readonly auth?: AuthOptions;
  /** Without it nothing is rate limited. */
  readonly rateLimit?: RateLimitOptions;
  readonly metrics?: GrpcMetricsObserver;
}

export interface GrpcServerOptions {
  /** Use cases by RPC name; RPCs without one answer UNIMPLEMENTED `method <Rpc> not implemented`. */
  readonly handlers: Handlers;
  readonly interceptors?: InterceptorsOptions;
  readonly logger: GrpcLogger;
  /** Serve grpc.reflection (v1 and v1alpha). */
  readonly reflection: boolean;
  /** grpc-js server options (message size limits, keepalive...). */
  readonly serverOptions?: ServerOptions;
  /**
   * How long `shutdown` keeps answering with health NOT_SERVING before it stops taking calls, so load balancers
   * watching the health service drain this instance first (default 0).
   */
  readonly notServingDelayMs?: number;
}

export interface GrpcServer {
  /** Binds plaintext on host:port (0 = a free port) and resolves with the bound port. */
  listen(host: string, port: number): Promise<number>;
  /** Reports SERVING / NOT_SERVING for '' and listings.v1.ListingsService (e.g. from readiness). */
  setServing(serving: boolean): void;
  /** NOT_SERVING, stop taking calls, let in-flight calls finish; cancels those still running after graceMs. */
  shutdown(graceMs: number): Promise<void>;
  /** The grpc-js server, for adding further services before `listen`. */
  readonly server: Server;
}

/**
 * The interceptor chain, outermost first: request id → access log → deadline → auth → rate limit → metrics →
 * handler. The log sits outside the rest so refused calls are logged too; the deadline bounds the token check and
 * the limiter as well as the handler (§8 puts it outermost); metrics sit inside the limiter as §11 describes.
 */
export function buildInterceptors(options: InterceptorsOptions, logger: GrpcLogger): Interceptor[] {
  const chain: Interceptor[] = [requestIdInterceptor(), accessLogInterceptor(logger)];
  chain.push(deadlineInterceptor(options.deadline ?? {}, logger));
  chain.push(authInterceptor(options.auth ?? {}, logger));
  if (options.rateLimit !== undefined) chain.push(rateLimitInterceptor(options.rateLimit));
  if (options.metrics !== undefined) chain.push(metricsInterceptor(options.metrics));
  return chain;
}

/** Builds the gRPC server: ListingsService (all 53 RPCs), grpc.health.v1.Health, and reflection if asked. */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  // Validates the timeout and rate-limit tables now, so a bad table stops start-up rather than a call.
  const interceptors = buildInterceptors(options.interceptors ?? {}, options.logger);
  // Channelz stays on although nothing reads it: grpc-js 1.14 only tracks the sessions that forceShutdown closes
  // when channelz is enabled, so without it `shutdown` could not cancel calls that outlive the grace period.
  const server = new Server(options.serverOptions);

  const handlers = options.handlers as Readonly<Record<string, AnyUnaryHandler | undefined>>;
  const implementation: UntypedServiceImplementation = {};
  for (const rpc of RPCS) implementation[rpc.key] = unaryCall(rpc, handlers[rpc.name], interceptors);
  const unknown = Object.keys(handlers).filter((name) => !RPCS.some((rpc) => rpc.name === name));
  if (unknown.length > 0) throw new Error(`handlers for RPCs ListingsService does not have: ${unknown.join(', ')}`);
  // Responses shared between calls are frozen and encoded once (mappers/shared-messages.ts).
  const definitions = RPCS.map((rpc) => [
    rpc.key,
    { ...rpc.definition, responseSerialize: encodedOncePerFrozenMessage(rpc.definition.responseSerialize) },
  ]);
  server.addService(Object.fromEntries(definitions) as never, implementation);

  const health = new HealthImplementation({ '': 'SERVING', [SERVICE_NAME]: 'SERVING' });
  health.addToServer(server);
  if (options.reflection) addReflection(server);

  const setServing = (serving: boolean) => {
    const status = serving ? 'SERVING' : 'NOT_SERVING';
    health.setStatus('', status);
    health.setStatus(SERVICE_NAME, status);
  };

  let stopping: Promise<void> | undefined;
  return {
    server,
    setServing,
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.bindAsync(
          `${host.includes(':') ? `[${host}]` : host}:${port}`,
          ServerCredentials.createInsecure(),
          (error, bound) => (error ? reject(error) : resolve(bound)),
        );
      });
    },
    shutdown(graceMs) {
      stopping ??= (async () => {
        setServing(false);
        const delay = options.notServingDelayMs ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            options.logger.warn(
              { grace_ms: graceMs },
              'grpc: in-flight calls outlived the grace period; cancelling them',
            );
            server.forceShutdown();
            resolve();
          }, graceMs);
          server.tryShutdown(() => {
            clearTimeout(force);
            resolve();
          });
        });
      })();
      return stopping;
    },
  };
}
