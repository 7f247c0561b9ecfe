import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { restRouteKind } from '../../../adapters/http/plugins/rate-limit.ts';
import { MemoryRateLimiter } from '../../../adapters/memory/rate-limiter/memory-rate-limiter.ts';
import { signToken } from '../auth/tokens.ts';
import { appWith, bearer } from './support.ts';

const tiny = { limit: 2, windowMs: 60_000 };

let app: FastifyInstance | undefined;
afterEach(() => app?.close());

async function limitedApp(seen: Array<[string, string, boolean]> = []) {
  const limiter = new MemoryRateLimiter();
  app = await appWith(
    async (instance) => {
      instance.get('/api/v1/things/:id', async () => ({ ok: true }));
      instance.get('/metrics', async () => 'metrics');
    },
    {
      rateLimit: {
        consume: (key, rule) => limiter.consume(key, rule),
        rules: { other: tiny },
        observer: { onRateLimit: (route, type, allowed) => seen.push([route, type, allowed]) },
      },
    },
  );
  return app;
}

describe('REST rate limiting', () => {
  it('allows the rule, then 429 problem+json with Retry-After and RateLimit-* headers', async () => {
    const seen: Array<[string, string, boolean]> = [];
    const server = await limitedApp(seen);
    const first = await server.inject({ method: 'GET', url: '/api/v1/things/1' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-limit']).toBe('2');
    expect(first.headers['ratelimit-remaining']).toBe('1');
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0);
    // A different URL of the same template shares the budget (the key is the template).
    const second = await server.inject({ method: 'GET', url: '/api/v1/things/2' });
    expect(second.statusCode).toBe(200);
    expect(second.headers['ratelimit-remaining']).toBe('0');

    const third = await server.inject({ method: 'GET', url: '/api/v1/things/3' });
    expect(third.statusCode).toBe(429);
    expect(third.headers['content-type']).toContain('application/problem+json');
    expect(third.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(third.headers['ratelimit-limit']).toBe('2');
    expect(third.headers['ratelimit-remaining']).toBe('0');
    expect(Number(third.headers['ratelimit-reset'])).toBeGreaterThan(0);

    expect(seen).toEqual([
      ['/api/v1/things/:id', 'ip', true],
      ['/api/v1/things/:id', 'ip', true],
      ['/api/v1/things/:id', 'ip', false],
    ]);
  });

  it('keeps separate budgets for separate identifiers (IPs, principals)', async () => {
    const seen: Array<[string, string, boolean]> = [];
    const server = await limitedApp(seen);
    const get = (headers: Record<string, string> = {}, remoteAddress = '10.0.0.1') =>
      server.inject({ method: 'GET', url: '/api/v1/things/1', headers, remoteAddress });
    for (let i = 0; i < 2; i += 1) expect((await get()).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(429);

    expect((await get({}, '10.0.0.2')).statusCode).toBe(200);
    // An authenticated caller counts against its own budget, whatever its IP.
    const alice = bearer(await signToken({ sub: '7' }));
    for (let i = 0; i < 2; i += 1) expect((await get(alice)).statusCode).toBe(200);
    expect((await get(alice)).statusCode).toBe(429);
    expect((await get(bearer(await signToken({ sub: '8' })))).statusCode).toBe(200);
    expect(seen.filter(([, type]) => type === 'user_id')).toHaveLength(4);
  });

  it('never limits probes, metrics or docs, and sets no RateLimit headers on them', async () => {
    const server = await limitedApp();
    for (const url of ['/livez', '/readyz', '/health', '/metrics', '/openapi.json']) {
      for (let i = 0; i < 5; i += 1) {
        const response = await server.inject({ method: 'GET', url });
        expect(response.statusCode, url).not.toBe(429);
        expect(response.headers['ratelimit-limit'], url).toBeUndefined();
      }
    }
  });

  it('classifies routes as §7 does', () => {
    expect(restRouteKind('GET', '/api/v1/listings/:id')).toBe('read');
    expect(restRouteKind('GET', '/api/v1/listings')).toBe('read');
    expect(restRouteKind('GET', '/api/v1/listings/search')).toBe('search');
    expect(restRouteKind('POST', '/api/v1/listings')).toBe('write');
    expect(restRouteKind('PATCH', '/api/v1/listings/:id')).toBe('write');
    expect(restRouteKind('DELETE', '/api/v1/listings/:id')).toBe('delete');
    expect(restRouteKind('GET', '/api/v1/categories')).toBe('other');
  });
});
