import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../support/servers.ts';

// Proves the server behind LISTINGS_TEST_REDIS_URL is a real Redis 7.
let redis: Redis;
const key = `servers-test:${randomUUID()}`;

beforeAll(() => {
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1, lazyConnect: true });
  return redis.connect();
});

afterAll(async () => {
  await redis?.del(key);
  redis?.disconnect();
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
