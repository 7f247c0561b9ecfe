import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimiter, RateLimiterObserver, RateLimitRule } from '../../ports/rate-limiter.ts';
import { freshKeyDecision, GCRA_EPSILON_MS, gcraParameters } from '../memory/rate-limiter/gcra.ts';
import { LuaScript } from './lua-script.ts';
import { redisFailure } from './redis-client.ts';

export interface RedisRateLimiterOptions {
  /** Built by `createRedisClient` (fail-fast settings, command timeout); owned and closed by the caller. */
  readonly client: Redis;
  /** Put before every key, so several services can share one Redis. Default `listings:`. */
  readonly keyPrefix?: string;
  /** When Redis fails: `true` (default) allows the request, `false` rejects it with DEPENDENCY_UNAVAILABLE. */
  readonly failOpen?: boolean;
  /** Told about every Redis failure, whichever way the limiter then fails. */
  readonly observer: RateLimiterObserver;
}

/**
 * GCRA in one atomic script, the same formulas as `decideGcra` (adapters/memory/rate-limiter/gcra.ts).
 *
 * KEYS[1]: the key's theoretical arrival time (TAT), ms since the epoch on the *Redis server's* clock, so every
 * service instance measures against one clock whatever the skew between their own.
 * ARGV[1]: emission interval in ms (may be fractional); ARGV[2]: capacity (burst); ARGV[3]: epsilon in ms.
 * Returns {allowed 0|1, remaining, reset ms, retry-after ms}. The key expires when its bucket is full again, so idle
 * keys cost nothing; a rejection writes nothing.
 */
const GCRA = new LuaScript(`local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local epsilon = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local next_tat = tat + interval
local span = interval * capacity
if next_tat - now <= span + epsilon then
  local ahead = next_tat - now
  local ttl = math.max(1, math.ceil(ahead - epsilon))
  redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', ttl)
  return {1, math.floor((span - ahead) / interval + epsilon), ttl, 0}
end
local reset = math.max(0, math.ceil(tat - now - epsilon))
local retry = math.max(1, math.ceil(next_tat - now - span - epsilon))
return {0, 0, reset, retry}`);

/**
 * The rate limiter on Redis: one budget per key across every service instance.
 *
 * Key: `{prefix}rate_limit:{scope}:{identifier}`, e.g.
 * `listings:rate_limit:listings.v1.ListingsService:GetListing:10.0.0.5`, holding the TAT as a decimal string.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #failOpen: boolean;
  readonly #observer: RateLimiterObserver;

  constructor(options: RedisRateLimiterOptions) {
    this.#client = options.client;
    this.#prefix = options.keyPrefix ?? 'listings:';
    this.#failOpen = options.failOpen ?? true;
    this.#observer = options.observer;
  }

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const parameters = gcraParameters(rule);
    let reply: unknown;
    try {
      reply = await GCRA.run(
        this.#client,
        [`${this.#prefix}rate_limit:${key}`],
        [parameters.intervalMs, parameters.capacity, GCRA_EPSILON_MS],
      );
    } catch (error) {
      const failure = redisFailure('rate limiter', 'consume', error);
      try {
        this.#observer.onError('consume', failure);
      } catch {
        // An observer's own failure must not change the decision.
      }
      if (this.#failOpen) return freshKeyDecision(parameters);
      throw failure;
    }
    const [allowed, remaining, resetMs, retryAfterMs] = (reply as unknown[]).map(Number) as [
      number,
      number,
      number,
      number,
    ];
    return { allowed: allowed === 1, remaining, limit: parameters.capacity, resetMs, retryAfterMs };
  }
}
