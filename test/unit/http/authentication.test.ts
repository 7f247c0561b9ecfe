import type { FastifyInstance } from 'fastify';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireOwnerOrAdmin, requirePrincipal, requireRole } from '../../../adapters/http/plugins/authentication.ts';
import { signToken } from '../auth/tokens.ts';
import { appWith, bearer } from './support.ts';

const OWNER = 42;

let app: FastifyInstance;
beforeAll(async () => {
  app = await appWith(async (routes) => {
    routes.get('/whoami', async (request) => ({ principal: request.principal ?? null }));
    routes.get('/private', { config: { auth: 'required' } }, async (request) => ({
      subject: request.principal?.subject,
    }));
    routes.post('/listings/:id', async (request) => {
      const principal = requireOwnerOrAdmin(request, OWNER);
      return { by: principal.subject };
    });
    routes.post('/stock', async (request) => ({ by: requireRole(request, 'service').subject }));
    routes.get('/mine', async (request) => ({ user: requirePrincipal(request).userId }));
  });
});
afterAll(() => app.close());

describe('authentication', () => {
  it('lets anonymous callers through optional routes with no principal', async () => {
    const response = await app.inject({ url: '/whoami' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ principal: null });
  });

  it('decorates the request with the verified principal', async () => {
    const response = await app.inject({
      url: '/whoami',
      headers: bearer(await signToken({ sub: '42', roles: ['admin'] })),
    });
    expect(response.json()).toEqual({ principal: { subject: '42', userId: 42, roles: ['admin'], kind: 'user' } });
  });

  it('answers 401 with a bare challenge when a required token is missing', async () => {
    for (const url of ['/private', '/mine']) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="listings"');
      expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    }
  });

  it.each([
    [
      'a bad signature',
      () => signToken({}, new TextEncoder().encode('x'.repeat(40))),
      'the token signature is invalid',
    ],
    ['an expired token', () => signToken({ expiresInS: -3600 }), 'the token has expired'],
    [
      'another algorithm',
      async () => signToken({}, (await generateKeyPair('ES256')).privateKey, { alg: 'ES256' }),
      'the token algorithm is not accepted',
    ],
  ])('answers 401 invalid_token for %s, even on optional routes', async (_name, token, detail) => {
    const response = await app.inject({ url: '/whoami', headers: bearer(await token()) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED', detail });
    expect(response.headers['www-authenticate']).toBe(
      `Bearer realm="listings", error="invalid_token", error_description="${detail}"`,
    );
  });

  it('answers 401 invalid_request for an Authorization header that is not a bearer token', async () => {
    const response = await app.inject({ url: '/whoami', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('lets the owner and an admin act on a resource, and refuses another user with 403', async () => {
    const owner = await app.inject({
      method: 'POST',
      url: '/listings/1',
      headers: bearer(await signToken({ sub: '42' })),
    });
    expect(owner.statusCode).toBe(200);
    const admin = await app.inject({
      method: 'POST',
      url: '/listings/1',
      headers: bearer(await signToken({ sub: '7', roles: ['admin'] })),
    });
    expect(admin.json()).toEqual({ by: '7' });
    const other = await app.inject({
      method: 'POST',
      url: '/listings/1',
      headers: bearer(await signToken({ sub: '43' })),
    });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'PERMISSION_DENIED', status: 403 });
    expect(other.headers['www-authenticate']).toBeUndefined();
  });

  it('requires the service role for service operations', async () => {
    const service = await app.inject({
      method: 'POST',
      url: '/stock',
      headers: bearer(await signToken({ sub: 'orders', scope: 'service' })),
    });
    expect(service.statusCode).toBe(200);
    expect(service.json()).toEqual({ by: 'orders' });
    const user = await app.inject({
      method: 'POST',
      url: '/stock',
      headers: bearer(await signToken({ sub: '42', roles: ['admin'] })),
    });
    expect(user.statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/stock' })).statusCode).toBe(401);
  });

  it('keeps probes public: a bad token does not break /livez or /readyz', async () => {
    for (const url of ['/livez', '/readyz', '/health/live']) {
      const response = await app.inject({ url, headers: bearer('garbage') });
      expect(response.statusCode).toBe(200);
    }
  });

  it('refuses every token when no verifier is configured', async () => {
    const anonymousOnly = await appWith(
      async (routes) => {
        routes.get('/whoami', async (request) => ({ principal: request.principal ?? null }));
      },
      { auth: undefined },
    );
    try {
      expect((await anonymousOnly.inject({ url: '/whoami' })).statusCode).toBe(200);
      const refused = await anonymousOnly.inject({ url: '/whoami', headers: bearer(await signToken()) });
      expect(refused.statusCode).toBe(401);
    } finally {
      await anonymousOnly.close();
    }
  });
});
