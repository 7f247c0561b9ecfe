import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../../adapters/redis/redis-cache.ts';
import { closeRedisClient } from '../../../adapters/redis/redis-client.ts';
import type { CacheOperation } from '../../../ports/cache.ts';
import { describeCacheContract } from '../../contracts/cache.contract.ts';
import { connectTestClient, recordingObserver, removeKeysAndClose, testKeyPrefix } from './redis-test-support.ts';

const prefix = testKeyPrefix('cache');
const observer = recordingObserver<CacheOperation>();
let client: Redis;

beforeAll(async () => {
  client = await connectTestClient();
});

afterAll(async () => {
  // A healthy server must not have produced a single reported failure across the whole file.
  expect(observer.calls).toEqual([]);
  if (client) await removeKeysAndClose(client, prefix);
});

describeCacheContract('redis', () => new RedisCache({ client, keyPrefix: prefix, observer }));

describe('RedisCache on Redis', () => {
  it('stores entries under the prefix with a millisecond TTL', async () => {
    const cache = new RedisCache({ client, keyPrefix: prefix, observer });
    await cache.set('listing:42', '{"id":42}', 300_000);
    expect(await client.get(`${prefix}listing:42`)).toBe('{"id":42}');
    const ttl = await client.pttl(`${prefix}listing:42`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300_000);
  });

  it('sends the reads of one event-loop turn as one MGET, each caller getting its own values', async () => {
    const cache = new RedisCache({ client, keyPrefix: prefix, observer });
    await cache.set('batch:a', 'A', 60_000);
    await cache.set('batch:b', 'B', 60_000);
    const sent: string[][] = [];
    const counting = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'mget') return Reflect.get(target, property, receiver);
        return (keys: string[]) => {
          sent.push(keys);
          return target.mget(keys);
        };
      },
    });
    const batched = new RedisCache({ client: counting, keyPrefix: prefix, observer });
    const answers = await Promise.all([
      batched.get('batch:a'),
      batched.getMany(['batch:b', 'batch:none', 'batch:a']),
      batched.get('batch:none'),
      batched.getMany([]),
    ]);
    expect(answers).toEqual(['A', ['B', undefined, 'A'], undefined, []]);
    expect(sent).toEqual([['a', 'b', 'none', 'a', 'none'].map((key) => `${prefix}batch:${key}`)]);
    // A later turn is a new MGET, and sees a write made in between.
    await cache.set('batch:a', 'A2', 60_000);
    expect(await batched.get('batch:a')).toBe('A2');
    expect(sent).toHaveLength(2);
  });

  it('uses `listings:` as the default prefix', async () => {
    const cache = new RedisCache({ client, observer });
    const key = `${prefix}default-prefix`;
    try {
      await cache.set(key, 'v', 60_000);
      expect(await client.get(`listings:${key}`)).toBe('v');
    } finally {
      await client.unlink(`listings:${key}`);
    }
  });

  it('keeps generations as integer counters without TTL, and shares them between instances', async () => {
    const one = new RedisCache({ client, keyPrefix: prefix, observer });
    const otherClient = await connectTestClient();
    try {
      const other = new RedisCache({ client: otherClient, keyPrefix: prefix, observer });
      const before = (await one.generation('search')) as number;
      await other.bumpGeneration('search');
      expect(await one.generation('search')).toBe(before + 1);
      expect(await client.get(`${prefix}generation:search`)).toBe(String(before + 1));
      expect(await client.pttl(`${prefix}generation:search`)).toBe(-1);
    } finally {
      await closeRedisClient(otherClient);
    }
  });

  it('restarts a lost generation counter above every generation handed out', async () => {
    const cache = new RedisCache({ client, keyPrefix: prefix, observer });
    for (let i = 0; i < 50; i += 1) await cache.bumpGeneration('lost');
    const before = (await cache.generation('lost')) as number;
    await client.unlink(`${prefix}generation:lost`); // as an eviction or a flush would
    expect(await cache.generation('lost')).toBeGreaterThan(before);
    await client.unlink(`${prefix}generation:lost`);
    await cache.bumpGeneration('lost');
    expect(await cache.generation('lost')).toBeGreaterThan(before);
  });
});
