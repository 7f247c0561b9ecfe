import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../../adapters/http/app.ts';
import { HealthProbe } from '../../../adapters/http/health-probe.ts';
import type { DependencyCheck } from '../../../ports/health-check.ts';
import { AppError } from '../../../src/domain/errors.ts';

const silent = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

function check(name: string, critical: boolean, outcome: 'ok' | 'fail' | 'hang'): DependencyCheck {
  return {
    name,
    critical,
    check: (signal) =>
      outcome === 'ok'
        ? Promise.resolve()
        : outcome === 'fail'
          ? Promise.reject(new Error(`${name} refused the connection`))
          : new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
  };
}

async function app(checks: DependencyCheck[] = [], accepting = true, logger = silent) {
  const probe = new HealthProbe(checks, { timeoutMs: 100, cacheMs: 0 });
  return buildHttpApp({
    logger,
    version: '1.2.3',
    probe,
    bodyLimitBytes: 1024,
    requestTimeoutMs: 1000,
    isAccepting: () => accepting,
    plugins: [
      async (instance) => {
        instance.post(
          '/echo',
          {
            schema: {
              body: { type: 'object', required: ['title'], properties: { title: { type: 'string', minLength: 3 } } },
            },
          },
          async (request) => request.body,
        );
        instance.get('/boom', async () => {
          throw new Error('database password is hunter2');
        });
        instance.get('/missing', async () => {
          throw new AppError('LISTING_NOT_FOUND', 'listing not found');
        });
      },
    ],
  });
}

describe('HTTP app', () => {
  it('answers /livez and the original liveness alias', async () => {
    const server = await app([check('database', true, 'fail')]);
    for (const url of ['/livez', '/health/live']) {
      const response = await server.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'healthy' });
    }
  });

  it('is ready only when every critical dependency answers, and names the one that failed', async () => {
    const healthy = await app([check('database', true, 'ok'), check('opensearch', false, 'fail')]);
    expect((await healthy.inject({ url: '/readyz' })).statusCode).toBe(200);
    const health = await healthy.inject({ url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({
      status: 'degraded',
      version: '1.2.3',
      checks: { opensearch: { status: 'unhealthy' } },
    });

    const broken = await app([check('database', true, 'fail'), check('redis', true, 'hang')]);
    for (const url of ['/readyz', '/ready', '/health/ready']) {
      const response = await broken.inject({ url });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: 'not_ready', failed: ['database', 'redis'] });
      expect(response.json().checks.redis.status).toBe('timeout');
    }
    expect((await broken.inject({ url: '/health' })).statusCode).toBe(503);
  });

  it('reports not ready while shutting down', async () => {
    const server = await app([], false);
    const response = await server.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json().failed).toEqual(['shutting_down']);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await (await app()).inject({ url: '/nope?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it('maps catalogue errors to problem+json with the stable code', async () => {
    const response = await (await app()).inject({ url: '/missing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'LISTING_NOT_FOUND', detail: 'listing not found', status: 404 });
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('reports schema violations per field', async () => {
    const response = await (await app()).inject({ method: 'POST', url: '/echo', payload: { title: 'ab' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      violations: [{ field: 'title', reason: 'minLength' }],
    });
  });

  it('rejects malformed JSON, oversized bodies and unsupported media types with problems', async () => {
    const server = await app();
    const malformed = await server.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"title":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('VALIDATION_FAILED');
    const large = await server.inject({ method: 'POST', url: '/echo', payload: { title: 'x'.repeat(4096) } });
    expect(large.statusCode).toBe(413);
    expect(large.json().code).toBe('PAYLOAD_TOO_LARGE');
    const media = await server.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(media.statusCode).toBe(415);
    expect(media.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('never leaks an internal error message or stack to the client', async () => {
    const response = await (await app()).inject({ url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json().code).toBe('INTERNAL');
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('at ');
  });
});

describe('request logging', () => {
  it('writes one access line per request and tags request logs with the request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink) as unknown as FastifyBaseLogger;
    const server = await app([], true, logger);
    const ok = await server.inject({ url: '/livez' });
    const boom = await server.inject({ url: '/boom' });
    const access = lines.filter((line) => line.msg === 'request');
    expect(access).toEqual([
      expect.objectContaining({
        level: 30,
        request_id: ok.headers['x-request-id'],
        method: 'GET',
        route: '/livez',
        status: 200,
        duration_ms: expect.any(Number),
        remote: '127.0.0.1',
      }),
      expect.objectContaining({ request_id: boom.headers['x-request-id'], route: '/boom', status: 500 }),
    ]);
    const failure = lines.find((line) => line.msg === 'unhandled error');
    expect(failure).toMatchObject({ level: 50, request_id: boom.headers['x-request-id'] });
    await server.close();
  });
});

describe('long path parameters', () => {
  it("reach the route and get a problem document, not Fastify's own 414 body", async () => {
    const server = await app();
    server.get(
      '/things/:id',
      {
        schema: {
          params: { type: 'object', properties: { id: { type: 'integer', maximum: Number.MAX_SAFE_INTEGER } } },
        },
      },
      async () => ({}),
    );
    const response = await server.inject({ url: `/things/${'9'.repeat(101)}` });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});
