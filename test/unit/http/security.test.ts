import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../../adapters/http/plugins/security.ts';
import { appWith } from './support.ts';

const cors = {
  origins: ['http://localhost:3000', 'https://svetu.rs'],
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  headers: ['Content-Type', 'Authorization', 'Idempotency-Key', 'If-Match'],
};

let app: FastifyInstance;
beforeAll(async () => {
  app = await appWith(
    async (routes) => {
      routes.get('/api/v1/listings', async () => ({ listings: [] }));
      routes.post('/api/v1/listings', async () => ({}));
    },
    { cors },
  );
});
afterAll(() => app.close());

function preflight(origin: string) {
  return app.inject({
    method: 'OPTIONS',
    url: '/api/v1/listings',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

describe('CORS', () => {
  it('answers a preflight from a listed origin with the configured methods and headers', async () => {
    const response = await preflight('https://svetu.rs');
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://svetu.rs');
    expect(response.headers['access-control-allow-methods']).toBe('GET, POST, PUT, DELETE');
    expect(response.headers['access-control-allow-headers']).toBe(
      'Content-Type, Authorization, Idempotency-Key, If-Match',
    );
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers.vary).toContain('Origin');
  });

  it('gives a preflight from another origin no CORS headers', async () => {
    const response = await preflight('https://evil.example');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-methods']).toBeUndefined();
    expect(response.statusCode).toBe(405);
  });

  it('marks simple responses for listed origins only, and exposes ETag and X-Request-Id', async () => {
    const allowed = await app.inject({ url: '/api/v1/listings', headers: { origin: 'http://localhost:3000' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(allowed.headers['access-control-expose-headers']).toContain('ETag');
    expect(allowed.headers['access-control-expose-headers']).toContain('X-Request-Id');
    expect(allowed.headers['access-control-expose-headers']).toContain('X-Search-Engine');
    const denied = await app.inject({ url: '/api/v1/listings', headers: { origin: 'http://localhost:3001' } });
    expect(denied.statusCode).toBe(200);
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never blocks probes, whatever the origin', async () => {
    const response = await app.inject({ url: '/livez', headers: { origin: 'https://evil.example' } });
    expect(response.statusCode).toBe(200);
  });

  it('refuses * with credentials and origins that are not scheme://host[:port]', async () => {
    await expect(
      appWith(async () => {}, { cors: { ...cors, origins: ['*'], credentials: true } }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    await expect(appWith(async () => {}, { cors: { ...cors, origins: ['https://svetu.rs/'] } })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });

  it('allows any origin with * (without credentials)', async () => {
    const open = await appWith(async (routes) => void routes.get('/x', async () => ({})), {
      cors: { ...cors, origins: ['*'] },
    });
    try {
      const response = await open.inject({ url: '/x', headers: { origin: 'https://anyone.example' } });
      expect(response.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await open.close();
    }
  });

  it('sends no CORS headers at all when CORS is not configured', async () => {
    const closed = await appWith(async (routes) => void routes.get('/x', async () => ({})));
    try {
      const response = await closed.inject({ url: '/x', headers: { origin: 'http://localhost:3000' } });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await closed.close();
    }
  });
});

describe('security headers', () => {
  it('sends API-appropriate headers on answers and problems alike', async () => {
    for (const url of ['/api/v1/listings', '/nope', '/livez']) {
      const response = await app.inject({ url });
      expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['strict-transport-security']).toContain('max-age=');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cross-origin-resource-policy']).toBe('same-site');
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends the whole helmet set on every answer, computed once (the set @fastify/helmet sent per request)', async () => {
    const expected = {
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-site',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'DENY',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    };
    expect(securityHeaders()).toEqual(expected);
    for (const url of ['/api/v1/listings', '/nope']) {
      const response = await app.inject({ url });
      expect(response.headers).toMatchObject(expected);
    }
  });

  it('gives the docs page a CSP that lets swagger-ui run', async () => {
    const response = await app.inject({ url: '/docs/' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("default-src 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });
});
