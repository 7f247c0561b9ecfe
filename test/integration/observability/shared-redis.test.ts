import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/databases.ts';
import { redisUrl } from '../../support/servers.ts';
import { call, sampleSum, seededDatabase, serve, type TestService, token } from './service.ts';

let db: TestDatabase;
let categories: Record<string, number>;
const services: TestService[] = [];

beforeAll(async () => {
  ({ db, categories } = await seededDatabase());
}, 60_000);

afterAll(async () => {
  for (const service of services.splice(0)) await service.stop();
  await db?.dispose();
});

describe('REST rate limiting across instances', () => {
  it('two instances on one Redis enforce one budget', async () => {
    // The catch-all REST rule is RATE_LIMIT_RPS per second with RATE_LIMIT_BURST at once: 3 now, then 1 a second.
    const tight = { SVETULISTINGS_RATE_LIMIT_RPS: '1', SVETULISTINGS_RATE_LIMIT_BURST: '3' };
    const a = await serve(db.url as string, redisUrl(), tight);
    services.push(a);
    const b = await serve(db.url as string, redisUrl(), tight);
    services.push(b);
    // A user of its own, so no earlier run's key in the shared Redis interferes.
    const caller = await token(String(100_000 + Math.floor(Math.random() * 1_000_000)));

    // Warm both instances with another caller, then send twelve at once, alternating instances. One shared budget
    // accepts at most the burst plus what refilled meanwhile (3 + 1 a second); a budget per instance would accept at
    // least twice that, whatever the elapsed time, so the bound holds on a slow machine and still tells them apart.
    const warm = await token('98');
    for (const service of [a, b]) await call(service.base, 'GET', '/api/v1/categories', { token: warm });
    const targets = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b));
    const started = performance.now();
    const answers = await Promise.all(
      targets.map((service) => call(service.base, 'GET', '/api/v1/categories', { token: caller })),
    );
    const elapsedSeconds = (performance.now() - started) / 1000;
    const accepted = answers.filter((answer) => answer.status === 200).length;
    const refused = answers.filter((answer) => answer.status === 429);
    expect(accepted + refused.length).toBe(12);
    expect(accepted).toBeGreaterThanOrEqual(3);
    expect(accepted).toBeLessThanOrEqual(3 + Math.floor(elapsedSeconds));
    const last = refused[0];
    expect(last?.json).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last?.headers.get('ratelimit-limit')).toBe('3');
    expect(last?.headers.get('ratelimit-remaining')).toBe('0');

    // Another caller is not affected, and probes never are.
    expect((await call(a.base, 'GET', '/api/v1/categories', { token: await token('99') })).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await call(b.base, 'GET', '/livez')).status).toBe(200);

    // Each instance counts the refusals it answered.
    let counted = 0;
    for (const service of [a, b]) {
      const page = await (await fetch(`${service.base}/metrics`)).text();
      const series = page.match(
        /listings_rate_limit_rejected_total\{method="\/api\/v1\/categories",identifier_type="user_id"\} (\d+)/,
      );
      counted += series === null ? 0 : Number(series[1]);
    }
    expect(counted).toBe(refused.length);
  }, 60_000);

  it('with Redis unreachable, reads and writes still succeed (cache degrades, the limiter fails open)', async () => {
    const service = await serve(db.url as string, 'redis://127.0.0.1:1');
    services.push(service);
    const owner = await token('7');
    const created = await call(service.base, 'POST', '/api/v1/listings', {
      token: owner,
      body: { title: 'No Redis bike', price: 50, currency: 'RSD', category_id: categories.bicycles, quantity: 1 },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    for (let i = 0; i < 2; i += 1) {
      const read = await call(service.base, 'GET', `/api/v1/listings/${created.json.id}`, { token: owner });
      expect(read.status).toBe(200);
      expect(read.json.title).toBe('No Redis bike');
    }
    expect((await call(service.base, 'GET', '/livez')).status).toBe(200);

    const page = await (await fetch(`${service.base}/metrics`)).text();
    // The failures are visible: cache reads fell back to the database (misses), the store errors are counted.
    expect(sampleSum(page, 'listings_cache_misses_total')).toBeGreaterThan(0);
    expect(page).toMatch(/listings_errors_total\{component="cache",error_type="getMany"\} [1-9]/);
    expect(page).toMatch(/listings_errors_total\{component="rate_limiter",error_type="store_unavailable"\} [1-9]/);
    expect(page).toMatch(/listings_rate_limit_allowed_total\{method="\/api\/v1\/listings\/:id"/);
    expect(sampleSum(page, 'listings_cache_errors_total')).toBeGreaterThan(0);
    expect(sampleSum(page, 'listings_rate_limit_fail_open_total')).toBeGreaterThan(0);
  }, 60_000);
});
