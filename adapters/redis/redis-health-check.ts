import type { Redis } from 'ioredis';
import type { DependencyCheck } from '../../ports/health-check.ts';
import { redisFailure } from './redis-client.ts';

/**
 * Readiness of Redis as a `PING`. Not critical by default: the service degrades without Redis (the cache misses, the
 * limiter fails open or closed as configured) instead of refusing traffic, unlike the original where Redis was fatal.
 */
export function redisHealthCheck(client: Redis, options: { readonly critical?: boolean } = {}): DependencyCheck {
  return {
    name: 'redis',
    critical: options.critical ?? false,
    async check(signal: AbortSignal): Promise<void> {
      signal.throwIfAborted();
      try {
        await client.ping();
      } catch (error) {
        throw redisFailure('health', 'ping', error);
      }
    },
  };
}
