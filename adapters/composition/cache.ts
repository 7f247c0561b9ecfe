import type { Redis } from 'ioredis';
import type { Logger as PinoLogger } from 'pino';
import type { Cache } from '../../ports/cache.ts';
import type { DependencyCheck } from '../../ports/health-check.ts';
import type { RateLimiter } from '../../ports/rate-limiter.ts';
import type { Config } from '../config/config.ts';
import { MemoryCache } from '../memory/cache/memory-cache.ts';
import { MemoryRateLimiter } from '../memory/rate-limiter/memory-rate-limiter.ts';
import type { MetricSet } from '../prometheus/metric-set.ts';
import { RedisCache } from '../redis/redis-cache.ts';
import { closeRedisClient, createRedisClient } from '../redis/redis-client.ts';
import { redisHealthCheck } from '../redis/redis-health-check.ts';
import { RedisRateLimiter } from '../redis/redis-rate-limiter.ts';

export interface CacheAdapters {
  /** Undefined when caching is off (`CACHE_DRIVER=none` or `FEATURE_CACHE_ENABLED=false`). */
  readonly cache: Cache | undefined;
  /** Undefined when rate limiting is off (`RATE_LIMIT_ENABLED=false`). */
  readonly rateLimiter: RateLimiter | undefined;
  readonly checks: readonly DependencyCheck[];
  close(): Promise<void>;
}

/**
 * Builds the cache and the rate limiter from config: Redis when it is configured (one fail-fast client shared by
 * both), in-process otherwise. Redis is never critical for readiness: without it the service serves from the
 * database and the limiter fails open (or closed, by config), which the metrics and logs show (flaw #35).
 */
export function buildCacheAdapters(config: Config, logger: PinoLogger, metrics: MetricSet): CacheAdapters {
  const needsRedis =
    config.cache.driver === 'redis' || (config.rateLimit.enabled && config.rateLimit.driver === 'redis');
  let client: Redis | undefined;
  if (needsRedis) {
    const redis = config.redis;
    let lastLogged = 0;
    client = createRedisClient({
      ...(redis.url
        ? { url: redis.url }
        : { host: redis.host, port: redis.port, password: redis.password, db: redis.db }),
      commandTimeoutMs: redis.commandTimeoutMs,
      onConnectionError(error) {
        metrics.errors.inc({ component: 'redis', error_type: 'connection' });
        // Reconnects retry every few seconds; one log line a minute is enough to tell an operator.
        if (Date.now() - lastLogged > 60_000) {
          lastLogged = Date.now();
          logger.warn({ err: error.message }, 'redis unreachable; serving without it');
        }
      },
    });
  }

  let cache: Cache | undefined;
  if (config.cache.driver === 'redis' && client) {
    cache = new RedisCache({
      client,
      observer: {
        onError(operation) {
          metrics.errors.inc({ component: 'cache', error_type: operation });
          metrics.cacheErrors.inc({ cache_type: 'redis' });
        },
      },
    });
  } else if (config.cache.driver === 'memory') {
    cache = new MemoryCache();
  }

  let rateLimiter: RateLimiter | undefined;
  if (config.rateLimit.enabled) {
    rateLimiter =
      config.rateLimit.driver === 'redis' && client
        ? new RedisRateLimiter({
            client,
            failOpen: config.rateLimit.failOpen,
            observer: {
              onError() {
                metrics.errors.inc({ component: 'rate_limiter', error_type: 'store_unavailable' });
                if (config.rateLimit.failOpen) metrics.rateLimitFailOpen.inc({ method: 'any' });
              },
            },
          })
        : new MemoryRateLimiter();
  }

  return {
    cache,
    rateLimiter,
    checks: client ? [redisHealthCheck(client, { critical: false })] : [],
    async close() {
      if (client) await closeRedisClient(client);
    },
  };
}
