import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWith } from './support.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appWith(async (routes) => {
    routes.get('/api/v1/listings', async () => ({ listings: [] }));
    routes.post('/api/v1/listings', async () => ({}));
    routes.get('/api/v1/listings/:id(^\\d+$)', async () => ({}));
    routes.put('/api/v1/listings/:id(^\\d+$)', async () => ({}));
    routes.route({ method: ['DELETE', 'PATCH'], url: '/api/v1/listings/:id(^\\d+$)', handler: async () => ({}) });
  });
});
afterAll(() => app.close());

describe('405 Method Not Allowed', () => {
  it('answers 405 with Allow when the path exists for other methods', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/api/v1/listings?x=1' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD, POST');
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('matches parameters and their patterns like the router does', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/listings/17' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('DELETE, GET, HEAD, PATCH, PUT');
    // `abc` does not satisfy `^\d+$`: no route has this path at all.
    const notFound = await app.inject({ method: 'POST', url: '/api/v1/listings/abc' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json().code).toBe('ROUTE_NOT_FOUND');
  });

  it('keeps 404 for paths no route has, and for OPTIONS on unknown paths', async () => {
    for (const method of ['GET', 'OPTIONS'] as const) {
      const response = await app.inject({ method, url: '/api/v1/nothing' });
      expect(response.statusCode).toBe(404);
      expect(response.headers.allow).toBeUndefined();
    }
  });

  it('knows the routes of the health probes and the docs', async () => {
    const response = await app.inject({ method: 'POST', url: '/livez' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect((await app.inject({ method: 'DELETE', url: '/openapi.json' })).statusCode).toBe(405);
  });
});
