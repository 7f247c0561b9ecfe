import type { Logger as PinoLogger } from 'pino';
import type { RateLimiter } from '../../ports/rate-limiter.ts';
import type { TokenVerifier } from '../../ports/token-verifier.ts';
import type { Config } from '../config/config.ts';
import type { Handlers } from '../grpc/context.ts';
import { createGrpcServer, type GrpcServer } from '../grpc/server.ts';
import type { MetricSet } from '../prometheus/metric-set.ts';

export interface GrpcDeps {
  readonly config: Config;
  readonly logger: PinoLogger;
  readonly metrics: MetricSet;
  readonly handlers: Handlers;
  readonly verifier: TokenVerifier;
  readonly rateLimiter: RateLimiter | undefined;
}

/** The gRPC server with its interceptors wired to the metric set, the shared verifier and limiter. */
export function buildGrpcServer(deps: GrpcDeps): GrpcServer {
  const { config, metrics, rateLimiter } = deps;
  const logger = deps.logger.child({ component: 'grpc' });
  return createGrpcServer({
    handlers: deps.handlers,
    logger,
    reflection: config.grpc.reflection,
    serverOptions: { 'grpc.max_receive_message_length': config.http.maxBodyBytes },
    interceptors: {
      deadline: {
        observer: {
          onTimeout(method, seconds) {
            metrics.timeouts.inc({ method });
            metrics.timeoutDuration.observe({ method }, seconds);
          },
          onNearTimeout: (method) => metrics.nearTimeouts.inc({ method }),
        },
      },
      auth: {
        verifyToken: (token) => deps.verifier.verify(token),
        trustedPeers: config.grpc.trustedPeers,
        trustedServiceNames: config.grpc.trustedServiceNames,
      },
      ...(rateLimiter
        ? {
            rateLimit: {
              consume: (key, rule) => rateLimiter.consume(key, rule),
              trustProxyHeaders: config.grpc.trustProxyHeaders,
              observer: {
                onRateLimit(method, identifierType, allowed) {
                  const labels = { method, identifier_type: identifierType };
                  metrics.rateLimitHits.inc(labels);
                  (allowed ? metrics.rateLimitAllowed : metrics.rateLimitRejected).inc(labels);
                },
              },
            },
          }
        : {}),
      metrics: {
        onStart: (method) => metrics.grpcActive.inc({ method }),
        onFinish(method, status, seconds) {
          metrics.grpcActive.dec({ method });
          metrics.grpcRequests.inc({ method, status });
          metrics.grpcDuration.observe({ method }, seconds);
        },
      },
    },
  });
}
