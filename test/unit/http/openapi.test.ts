import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemResponse } from '../../../adapters/http/problem-schema.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { openApiProblems } from './openapi-structure.ts';
import { appWith } from './support.ts';

const listing = {
  type: 'object',
  required: ['id', 'title'],
  properties: { id: { type: 'integer' }, title: { type: 'string' }, description: { type: ['string', 'null'] } },
};

let app: FastifyInstance;
beforeAll(async () => {
  app = await appWith(async (routes) => {
    routes.get(
      '/api/v1/listings/:id',
      {
        schema: {
          operationId: 'getListing',
          params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } },
          response: { 200: listing, 404: problemResponse('No such listing') },
        },
        config: { timeout: 'get' },
      },
      async (request) => {
        const { id } = request.params as { id: number };
        if (id === 404) throw new AppError('LISTING_NOT_FOUND', 'listing 404 not found');
        return { id, title: 'Bike' };
      },
    );
    routes.post(
      '/api/v1/listings',
      {
        schema: { operationId: 'createListing', body: listing, response: { 201: listing } },
        config: { auth: 'required' },
      },
      async (_request, reply) => reply.code(201).send({ id: 1, title: 'Bike' }),
    );
    routes.delete('/api/v1/listings/:id', async () => ({}));
  });
});
afterAll(() => app.close());

describe('OpenAPI', () => {
  it('serves a structurally valid OpenAPI 3.1 document with every route', async () => {
    const response = await app.inject({ url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: 'listings', version: '1.2.3' });
    expect(openApiProblems(document)).toEqual([]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/listings/{id}', '/api/v1/listings', '/livez', '/readyz', '/health']),
    );
    expect(document.paths['/api/v1/listings/{id}'].delete).toBeDefined();
    // Plumbing is not part of the API.
    expect(document.paths['/openapi.json']).toBeUndefined();
    expect(Object.keys(document.paths).some((path) => path.startsWith('/docs'))).toBe(false);
  });

  it('lists the Problem schema once and refers every error response to it as problem+json', async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json();
    expect(document.components.schemas.Problem).toMatchObject({
      type: 'object',
      required: ['type', 'title', 'status', 'code'],
    });
    const get = document.paths['/api/v1/listings/{id}'].get;
    expect(get.responses['404'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(get.responses['4XX'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(get.responses['5XX']).toBeDefined();
    expect(get.responses['200'].content['application/json'].schema.properties.description.type).toEqual([
      'string',
      'null',
    ]);
    const health = document.paths['/livez'].get;
    expect(Object.keys(health.responses)).toEqual(expect.arrayContaining(['200', '4XX', '5XX']));
  });

  it('serialises a declared error response with the Problem schema and its media type', async () => {
    const response = await app.inject({ url: '/api/v1/listings/404' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'LISTING_NOT_FOUND', detail: 'listing 404 not found', status: 404 });
    expect(response.json().request_id).toBe(response.headers['x-request-id']);
  });

  it('documents the bearer requirement implied by each route auth mode', async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json();
    expect(document.components.securitySchemes.bearerAuth).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(document.paths['/api/v1/listings'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths['/api/v1/listings/{id}'].get.security).toEqual([{}, { bearerAuth: [] }]);
    expect(document.paths['/livez'].get.security).toBeUndefined();
  });

  it("documents the startup probe's 503 body, which it sends while starting", async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json();
    const responses = document.paths['/health/startup'].get.responses;
    expect(responses['503'].content['application/json'].schema.properties.status.enum).toEqual(['starting']);
    expect(responses['200'].content['application/json'].schema.properties.status.enum).toEqual(['started']);
    const starting = await appWith(async () => {}, { startedAt: Date.now() });
    try {
      // Within its 5 s start-up grace.
      const answer = await starting.inject({ url: '/health/startup' });
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['content-type']).toContain('application/json');
      expect(Object.keys(answer.json()).sort()).toEqual(['status', 'timestamp']);
      expect(answer.json().status).toBe('starting');
    } finally {
      await starting.close();
    }
  });

  it('serves the docs page as HTML, publicly', async () => {
    const response = await app.inject({ url: '/docs/', headers: { authorization: 'Bearer stale' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('swagger-ui');
    const redirect = await app.inject({ url: '/docs' });
    expect([200, 302]).toContain(redirect.statusCode);
  });

  it('can be switched off', async () => {
    const bare = await appWith(async () => {}, { openapi: false });
    try {
      expect((await bare.inject({ url: '/openapi.json' })).statusCode).toBe(404);
      expect((await bare.inject({ url: '/docs/' })).statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
