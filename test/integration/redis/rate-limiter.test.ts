import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeRedisClient } from '../../../adapters/redis/redis-client.ts';
import { RedisRateLimiter } from '../../../adapters/redis/redis-rate-limiter.ts';
import { describeRateLimiterContract } from '../../contracts/rate-limiter.contract.ts';
import { connectTestClient, recordingObserver, removeKeysAndClose, testKeyPrefix } from './redis-test-support.ts';

const prefix = testKeyPrefix('rate-limiter');
const observer = recordingObserver<'consume'>();
let client: Redis;
let secondInstanceClient: Redis;

beforeAll(async () => {
  client = await connectTestClient();
  secondInstanceClient = await connectTestClient({ connectionName: 'listings-second-instance' });
});

afterAll(async () => {
  expect(observer.calls).toEqual([]);
  if (secondInstanceClient) await closeRedisClient(secondInstanceClient);
  if (client) await removeKeysAndClose(client, prefix);
});

describeRateLimiterContract('redis', () => new RedisRateLimiter({ client, keyPrefix: prefix, observer }));

describe('RedisRateLimiter on Redis', () => {
  it('enforces one budget for a key across service instances (separate connections)', async () => {
    const instanceA = new RedisRateLimiter({ client, keyPrefix: prefix, observer });
    const instanceB = new RedisRateLimiter({ client: secondInstanceClient, keyPrefix: prefix, observer });
    const rule = { limit: 10, windowMs: 60_000 };
    const key = 'listings.v1.ListingsService:GetListing:10.0.0.5';
    const decisions = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? instanceA : instanceB).consume(key, rule)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    // Each remaining count was handed out once: the script ran atomically, never two on one state.
    const remaining = decisions.filter((d) => d.allowed).map((d) => d.remaining);
    expect(remaining.toSorted((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('measures time on the Redis server, so an instance with a skewed clock spends the same budget', async () => {
    const instanceA = new RedisRateLimiter({ client, keyPrefix: prefix, observer });
    const instanceB = new RedisRateLimiter({ client: secondInstanceClient, keyPrefix: prefix, observer });
    const rule = { limit: 2, windowMs: 60_000 };
    const key = 'listings.v1.ListingsService:DeleteListing:user:7';
    expect((await instanceA.consume(key, rule)).allowed).toBe(true);
    // This process's clock jumps an hour ahead (only Date: ioredis's timers keep running normally).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 });
    try {
      expect((await instanceB.consume(key, rule)).allowed).toBe(true);
      expect((await instanceB.consume(key, rule)).allowed).toBe(false);
    } finally {
      vi.useRealTimers();
    }
    expect((await instanceA.consume(key, rule)).allowed).toBe(false);
  });

  it('keeps the state at rate_limit:{scope}:{identifier}, expiring when the bucket is full again', async () => {
    const limiter = new RedisRateLimiter({ client, keyPrefix: prefix, observer });
    const scoped = 'listings.v1.ListingsService:CreateListing:user:42';
    const decision = await limiter.consume(scoped, { limit: 50, windowMs: 60_000 });
    const key = `${prefix}rate_limit:${scoped}`;
    expect(Number(await client.get(key))).toBeGreaterThan(1_600_000_000_000); // a TAT in ms on the server clock
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(decision.resetMs);
  });
});
