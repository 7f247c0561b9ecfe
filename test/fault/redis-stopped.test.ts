/**
 * Redis frozen (SIGSTOP: its connections stay open and nothing answers, as a hung or swapping server) under the
 * running service. The server is one the test starts for itself; the shared one is never stopped. Cached reads
 * answer from PostgreSQL once the command timeout (200 ms) passes, writes and the rate limiter go on (fail open),
 * readiness stays up (Redis is not critical), and the cache serves again once Redis resumes.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestDatabase } from '../support/databases.ts';
import {
  eventually,
  request,
  type ServiceUnderTest,
  seededDatabase,
  startServiceUnderTest,
  userToken,
} from '../support/service-under-test.ts';
import { adminQuery } from './support/admin-sql.ts';
import { OwnRedis } from './support/own-redis.ts';

let db: TestDatabase;
let categories: Record<string, number>;
let redis: OwnRedis;
let service: ServiceUnderTest;
let owner: string;

beforeAll(async () => {
  ({ db, categories } = await seededDatabase('listings_fault_redis'));
  redis = await OwnRedis.start();
  service = await startServiceUnderTest(db.url as string, {
    SVETULISTINGS_REDIS_URL: redis.url,
    SVETULISTINGS_WORKER_ENABLED: 'false',
  });
  owner = await userToken('7');
});
afterAll(async () => {
  await service?.stop();
  await redis?.stop();
  await db?.dispose();
});

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await action();
  return { value, ms: performance.now() - started };
}

it('answers cached reads from PostgreSQL while Redis is stopped, takes writes, stays ready, and caches again after', async () => {
  const created = await request(service.base, 'POST', '/api/v1/listings', {
    token: owner,
    body: { title: 'Cached bike', price: 10, currency: 'RSD', category_id: categories.bicycles, quantity: 1 },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.json.id as number;
  const path = `/api/v1/listings/${id}`;
  expect((await request(service.base, 'GET', path, { token: owner })).json.title).toBe('Cached bike');

  // Changed behind the service's back: only a read that reaches PostgreSQL sees the new title.
  await adminQuery('UPDATE listings SET title = $1 WHERE id = $2', ['Changed in PostgreSQL', id], db.url);
  expect((await request(service.base, 'GET', path, { token: owner })).json.title).toBe('Cached bike');

  redis.pause();
  try {
    const read = await timed(() => request(service.base, 'GET', path, { token: owner }));
    expect(read.value.status, read.value.text).toBe(200);
    expect(read.value.json.title).toBe('Changed in PostgreSQL');
    // Bounded by the command timeout, not by the pause (which lasts until SIGCONT): generous for a loaded machine.
    expect(read.ms).toBeLessThan(5_000);

    const write = await request(service.base, 'PATCH', path, { token: owner, body: { title: 'Written while frozen' } });
    expect(write.status, write.text).toBe(200);
    const ready = await request(service.base, 'GET', '/readyz');
    expect(ready.status, ready.text).toBe(200);
    expect(ready.json.checks?.redis?.status).not.toBe('healthy');
  } finally {
    redis.resume();
  }

  // Back: reads see the write, and the service's cache holds the current document again.
  const client = new Redis(redis.url);
  try {
    await eventually(async () => {
      const answer = await request(service.base, 'GET', path, { token: owner });
      expect(answer.json.title).toBe('Written while frozen');
      expect(await client.get(`listings:listing:${id}:v1`)).toContain('Written while frozen');
    });
    expect((await request(service.base, 'GET', '/readyz')).json.checks?.redis?.status).toBe('healthy');
  } finally {
    client.disconnect();
  }
});
