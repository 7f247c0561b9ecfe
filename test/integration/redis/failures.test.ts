import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../../adapters/redis/redis-cache.ts';
import { closeRedisClient, createRedisClient } from '../../../adapters/redis/redis-client.ts';
import { redisHealthCheck } from '../../../adapters/redis/redis-health-check.ts';
import { RedisRateLimiter } from '../../../adapters/redis/redis-rate-limiter.ts';
import type { CacheOperation } from '../../../ports/cache.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { eventually } from '../../contracts/cache.contract.ts';
import { redisUrl } from '../../support/servers.ts';
import { TcpOutage } from '../../support/tcp-outage.ts';
import { connectTestClient, recordingObserver, removeKeysAndClose, testKeyPrefix } from './redis-test-support.ts';

// How Redis failures degrade. "Fast" is asserted with bounds far above the configured timeouts and far below what
// waiting for the failure would take (the frozen proxy, or ioredis's 10 s default connect timeout).
const rule = { limit: 5, windowMs: 60_000 };

function expectDependencyFailure(error: unknown, causeMessage?: RegExp): void {
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('DEPENDENCY_UNAVAILABLE');
  if (causeMessage) expect(String((error as AppError).cause)).toMatch(causeMessage);
}

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await action();
  return { value, ms: performance.now() - started };
}

describe('Redis unreachable (nothing listens on 127.0.0.1:1)', () => {
  const connectionErrors: Error[] = [];
  let client: Redis;

  beforeAll(() => {
    client = createRedisClient({ url: 'redis://127.0.0.1:1', onConnectionError: (e) => connectionErrors.push(e) });
  });

  afterAll(async () => {
    if (client) await closeRedisClient(client);
  });

  it('reports the refused connection to the connection observer, not to stderr', async () => {
    await eventually(async () => expect(connectionErrors.length).toBeGreaterThan(0));
    expect(connectionErrors[0]?.message).toMatch(/ECONNREFUSED/);
  });

  it('cache: every operation resolves at once as a miss or a no-op, and each failure is observed', async () => {
    const observer = recordingObserver<CacheOperation>();
    const cache = new RedisCache({ client, observer });
    const { value, ms } = await timed(async () => ({
      get: await cache.get('listing:1'),
      getMany: await cache.getMany(['listing:1', 'listing:2']),
      set: await cache.set('listing:1', '{}', 60_000),
      delete: await cache.delete(['listing:1']),
      generation: await cache.generation('search'),
      bump: await cache.bumpGeneration('search'),
    }));
    expect(value).toEqual({
      get: undefined,
      getMany: [undefined, undefined],
      set: undefined,
      delete: undefined,
      generation: undefined,
      bump: undefined,
    });
    expect(ms).toBeLessThan(1_000);
    expect(observer.calls.map((c) => c.operation)).toEqual([
      'get',
      'getMany',
      'set',
      'delete',
      'generation',
      'bumpGeneration',
    ]);
    for (const call of observer.calls) expectDependencyFailure(call.error);
  });

  it('cache: an observer that throws does not make the cache throw', async () => {
    const cache = new RedisCache({
      client,
      observer: {
        onError: () => {
          throw new Error('observer bug');
        },
      },
    });
    expect(await cache.get('listing:1')).toBeUndefined();
  });

  it('limiter: fails open by default, as a fresh key, and reports the failure', async () => {
    const observer = recordingObserver<'consume'>();
    const limiter = new RedisRateLimiter({ client, observer });
    const { value, ms } = await timed(() => limiter.consume('svc:Method:10.0.0.1', rule));
    expect(value).toEqual({ allowed: true, remaining: 4, limit: 5, resetMs: 12_000, retryAfterMs: 0 });
    expect(ms).toBeLessThan(1_000);
    expect(observer.calls).toHaveLength(1);
    expectDependencyFailure(observer.calls[0]?.error);
  });

  it('limiter: fails closed with DEPENDENCY_UNAVAILABLE when configured, and reports the failure', async () => {
    const observer = recordingObserver<'consume'>();
    const limiter = new RedisRateLimiter({ client, observer, failOpen: false });
    const error = await limiter.consume('svc:Method:10.0.0.1', rule).catch((e: unknown) => e);
    expectDependencyFailure(error);
    expect(observer.calls).toHaveLength(1);
    expect(observer.calls[0]?.error).toBe(error);
  });

  it('limiter: still rejects an invalid rule as CONFIG_INVALID, not as a store failure', async () => {
    const limiter = new RedisRateLimiter({ client, observer: recordingObserver<'consume'>() });
    await expect(limiter.consume('k', { limit: 0, windowMs: 1_000 })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('health check: rejects with DEPENDENCY_UNAVAILABLE and is not critical by default', async () => {
    const check = redisHealthCheck(client);
    expect(check).toMatchObject({ name: 'redis', critical: false });
    const error = await check.check(AbortSignal.timeout(5_000)).catch((e: unknown) => e);
    expectDependencyFailure(error);
  });
});

describe('Redis slow or dropping the connection (real server)', () => {
  const prefix = testKeyPrefix('failures');
  // The client under test reaches Redis through a proxy that can stop answering for it alone: CLIENT PAUSE would
  // stall every other test file using the same server (and move their error metrics).
  const proxy = new TcpOutage(redisUrl());
  let admin: Redis;
  let client: Redis;

  beforeAll(async () => {
    await proxy.up();
    admin = await connectTestClient({ connectionName: 'listings-test-admin' });
    client = await connectTestClient({
      url: `redis://${proxy.address}`,
      commandTimeoutMs: 100,
      maxReconnectDelayMs: 100,
    });
  });

  afterAll(async () => {
    if (client) await closeRedisClient(client);
    if (admin) await removeKeysAndClose(admin, prefix);
    await proxy.down();
  });

  it('a server that stops answering: reads miss and the limiter fails open after the command timeout, then recover', async () => {
    const observer = recordingObserver<CacheOperation>();
    const limiterObserver = recordingObserver<'consume'>();
    const cache = new RedisCache({ client, keyPrefix: prefix, observer });
    const limiter = new RedisRateLimiter({ client, keyPrefix: prefix, observer: limiterObserver });
    await cache.set('listing:7', '{"id":7}', 60_000);
    expect(observer.calls).toEqual([]);

    proxy.freeze();
    const read = await timed(() => cache.get('listing:7'));
    const decision = await limiter.consume('svc:Method:10.0.0.7', rule);
    proxy.thaw();

    expect(read.value).toBeUndefined();
    expect(read.ms).toBeLessThan(400);
    expect(observer.calls.map((c) => c.operation)).toEqual(['get']);
    expectDependencyFailure(observer.calls[0]?.error, /timed out/);
    expect(decision.allowed).toBe(true);
    expectDependencyFailure(limiterObserver.calls[0]?.error, /timed out/);

    // Once it answers again the same client serves again.
    await eventually(async () => expect(await cache.get('listing:7')).toBe('{"id":7}'));
  });

  it('a dropped connection: fails fast while reconnecting, then the client reconnects by itself', async () => {
    const observer = recordingObserver<CacheOperation>();
    const cache = new RedisCache({ client, keyPrefix: prefix, observer });
    await cache.set('listing:8', '{"id":8}', 60_000);
    const id = await client.call('CLIENT', 'ID');
    const disconnected = new Promise((resolve) => client.once('close', resolve));
    await admin.call('CLIENT', 'KILL', 'ID', String(id));
    await disconnected;

    const whileDown = await timed(() => cache.get('listing:8'));
    expect(whileDown.value).toBeUndefined();
    expect(whileDown.ms).toBeLessThan(400);
    expect(observer.calls.map((c) => c.operation)).toContain('get');

    await eventually(async () => expect(await cache.get('listing:8')).toBe('{"id":8}'));
  });
});
