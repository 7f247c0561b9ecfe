import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, idempotentRequest, requestHash } from '../../../adapters/http/idempotency.ts';
import { signToken } from '../auth/tokens.ts';
import { appWith, bearer } from './support.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appWith(async (routes) => {
    routes.post('/listings', async (request) => idempotentRequest(request, 'listings.create') ?? { none: true });
  });
});
afterAll(() => app.close());

function create(key: string | undefined, payload: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/listings',
    payload: payload as Record<string, unknown>,
    headers: { ...headers, ...(key === undefined ? {} : { 'idempotency-key': key }) },
  });
}

describe('Idempotency-Key', () => {
  it('scopes the key to the operation and the caller, and hashes the canonical body', async () => {
    const response = await create(
      '3f2c9a1e-8b7d-4c1a-9e2f-0a1b2c3d4e5f',
      { title: 'Bike', price: 100 },
      bearer(await signToken({ sub: '42' })),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      key: { scope: 'listings.create', principal: 'user:42', key: '3f2c9a1e-8b7d-4c1a-9e2f-0a1b2c3d4e5f' },
      requestHash: requestHash({ price: 100, title: 'Bike' }),
    });
    const anonymous = await create('"abc"', { a: 1 });
    expect(anonymous.json().key).toEqual({ scope: 'listings.create', principal: 'anonymous', key: 'abc' });
  });

  it('gives the same hash whatever the key order or spacing, and another for another body', async () => {
    const a = (
      await create('k', JSON.parse('{"title":"Bike","tags":["x","y"],"price":{"amount":1,"currency":"RSD"}}'))
    ).json();
    const b = (
      await create('k', JSON.parse('{ "price": {"currency":"RSD", "amount":1}, "tags":["x","y"], "title":"Bike" }'))
    ).json();
    const c = (await create('k', { title: 'Bike', tags: ['y', 'x'], price: { amount: 1, currency: 'RSD' } })).json();
    expect(a.requestHash).toBe(b.requestHash);
    expect(a.requestHash).not.toBe(c.requestHash);
    expect(a.requestHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is optional', async () => {
    expect((await create(undefined, { a: 1 })).json()).toEqual({ none: true });
  });

  it('refuses empty, too long and non-ASCII keys with 400', async () => {
    for (const key of ['', ' ', 'x'.repeat(256), 'ключ', 'has space']) {
      const response = await create(key, { a: 1 });
      expect(response.statusCode, key).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ field: 'Idempotency-Key' }] });
    }
    expect((await create('x'.repeat(255), { a: 1 })).statusCode).toBe(200);
  });

  it('writes canonical JSON with sorted keys at every depth', () => {
    expect(canonicalJson({ b: [{ d: 1, c: null }], a: 'é', skip: undefined })).toBe('{"a":"é","b":[{"c":null,"d":1}]}');
  });
});
