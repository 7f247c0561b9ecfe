import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../support/servers.ts';

// Proves the server behind LISTINGS_TEST_REDIS_URL is a real Redis 7.
const key = `servers-test:${randomUUID()}`;
// Connecting inside the tests (not in beforeAll) makes a missing server fail them, not skip them.
const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1, lazyConnect: true });

afterAll(async () => {
  if (redis.status === 'ready') await redis.del(key);
  redis.disconnect();
});

describe('Redis server', () => {
  it('reports redis_version 7.x', async () => {
    const info = await redis.info('server');
    expect(info).toMatch(/^redis_version:7\.\d+\.\d+\r?$/m);
  });

  it('stores and expires a value', async () => {
    await redis.set(key, 'квартира', 'EX', 60);
    expect(await redis.get(key)).toBe('квартира');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });
});
