import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../../adapters/http/app.ts';
import { HealthProbe } from '../../../adapters/http/health-probe.ts';
import { apiRoutes } from '../../../adapters/http/routes/api.ts';
import { API_OPERATIONS } from './api-operations.ts';
import { type ApiWorld, buildUseCases, openApiWorld } from './api-world.ts';

let world: ApiWorld;
let document: OpenApi;
beforeAll(async () => {
  world = await openApiWorld();
  document = (await world.request({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => world?.close());

interface Operation {
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
  requestBody?: unknown;
}
interface OpenApi {
  openapi: string;
  info: { description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

describe('/openapi.json', () => {
  it('is OpenAPI 3.1 and lists every route of the API, and no other /api route', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const [method, path] of API_OPERATIONS)
      expect(document.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const documented = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual(API_OPERATIONS.map(([method, path]) => `${method} ${path}`).sort());
  });

  it('describes errors as Problem documents, every $ref resolves, and writes need a bearer token', () => {
    const text = JSON.stringify(document);
    for (const [, ref] of text.matchAll(/"\$ref":"([^"]+)"/g)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(document.components.schemas[(ref as string).split('/').at(-1) as string], ref).toBeDefined();
    }
    for (const [method, path] of API_OPERATIONS) {
      const operation = document.paths[path]?.[method] as Operation;
      expect(operation.responses['4XX']?.content?.['application/problem+json'], `${method} ${path}`).toBeDefined();
      const writes = method !== 'get' && !path.endsWith('/views');
      if (writes) expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
    }
    const create = document.paths['/api/v1/listings']?.post as Operation;
    expect(JSON.stringify(create.requestBody)).toContain('"additionalProperties":false');
  });

  it('documents the X-Search-Engine header of a search answer, and keeps it out of the body schema', () => {
    const ok = document.paths['/api/v1/listings/search']?.get?.responses['200'];
    expect(ok?.headers?.['X-Search-Engine']).toMatchObject({
      schema: { type: 'string', enum: ['opensearch', 'postgres'] },
      description: expect.stringContaining('fallback'),
    });
    expect(JSON.stringify(ok?.content)).not.toContain('X-Search-Engine');
  });
});

describe('routing', () => {
  it('serves /listings/search and /suggest as their own routes, never as /listings/:id', async () => {
    const search = await world.request({ method: 'GET', url: '/api/v1/listings/search?query=bike' });
    expect(search.statusCode).toBe(200);
    expect(search.json()).toEqual({ listings: [], total: 0 });
    expect(search.headers['x-served-by']).toBe('microservice');
    const badSearch = await world.request({ method: 'GET', url: '/api/v1/listings/search?limit=0' });
    expect(badSearch.statusCode).toBe(400);
    expect(badSearch.json().violations[0].field).toBe('limit');
    expect((await world.request({ method: 'GET', url: '/api/v1/listings/suggest?q=bi' })).statusCode).toBe(200);
  });

  it('answers search and suggest 501 when no search index is configured', async () => {
    const app = await buildHttpApp({
      logger: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
      version: '9.9.9',
      probe: new HealthProbe([], { timeoutMs: 100, cacheMs: 0 }),
      bodyLimitBytes: 1024 * 1024,
      requestTimeoutMs: 30_000,
      isAccepting: () => true,
      plugins: [apiRoutes({ ...buildUseCases(world.knex), search: undefined })],
    });
    try {
      const search = await app.inject({ method: 'GET', url: '/api/v1/listings/search?query=bike' });
      expect(search.statusCode).toBe(501);
      expect(search.json().code).toBe('NOT_IMPLEMENTED');
      expect((await app.inject({ method: 'GET', url: '/api/v1/listings/suggest?q=bi' })).statusCode).toBe(501);
      expect((await app.inject({ method: 'GET', url: '/api/v1/listings/search?limit=0' })).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });

  it('answers an unknown route 404 and a known path with another method 405, as problem documents', async () => {
    const missing = await world.request({ method: 'GET', url: '/api/v1/nothing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('ROUTE_NOT_FOUND');
    const wrongMethod = await world.request({ method: 'POST', url: '/api/v1/categories' });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD');
  });
});
