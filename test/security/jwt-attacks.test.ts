/**
 * Forged and misused JWTs against both edges of the running service, configured as production is with an RS256
 * public key (AUTH_PUBLIC_KEY_PATH), an issuer and an audience. Every forged token is refused (REST 401
 * problem+json, gRPC UNAUTHENTICATED) and nothing is written; a token in the query string is
 * ignored. The control case (a valid token is accepted on both edges) makes each refusal mean something.
 * Verifier details (skew, key sources, JWKS) are unit-tested in test/unit/auth/jwt-verifier.test.ts.
 */
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListingsClientError } from '../../adapters/grpc/client/index.ts';
import { type TestDatabase, temporaryDirectory } from '../support/databases.ts';
import {
  request,
  type ServiceUnderTest,
  seededDatabase,
  startServiceUnderTest,
} from '../support/service-under-test.ts';

const ISSUER = 'https://auth.svetu.test';
const AUDIENCE = 'listings';
let keys: { publicKey: KeyObject; privateKey: KeyObject; publicPem: string };
let keyDir: { path: string; remove(): Promise<void> };
let db: TestDatabase;
let categories: Record<string, number>;
let service: ServiceUnderTest;

beforeAll(async () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  keys = { ...pair, publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  keyDir = await temporaryDirectory('listings-jwt-');
  const pemPath = join(keyDir.path, 'public.pem');
  await writeFile(pemPath, keys.publicPem);
  ({ db, categories } = await seededDatabase('listings_sec_jwt'));
  service = await startServiceUnderTest(db.url as string, {
    SVETULISTINGS_AUTH_JWT_SECRET: '',
    SVETULISTINGS_AUTH_PUBLIC_KEY_PATH: pemPath,
    SVETULISTINGS_AUTH_ISSUER: ISSUER,
    SVETULISTINGS_AUTH_AUDIENCE: AUDIENCE,
    SVETULISTINGS_WORKER_ENABLED: 'false',
  });
});
afterAll(async () => {
  await service?.stop();
  await db?.dispose();
  await keyDir?.remove();
});

const now = () => Math.floor(Date.now() / 1000);

interface Claims {
  sub?: string;
  iss?: string;
  aud?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  roles?: string[];
}

function validClaims(overrides: Claims = {}): Claims {
  return { sub: '7', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, ...overrides };
}

async function rs256(claims: Claims): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(keys.privateKey);
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A token signed by hand with HMAC-SHA256 over `secret`, whatever that secret is. */
function hs256(claims: Claims, secret: string | Buffer): string {
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

async function forgedTokens(): Promise<Record<string, string>> {
  const valid = await rs256(validClaims());
  const [header, payload, signature] = valid.split('.') as [string, string, string];
  const tamperedPayload = base64url(JSON.stringify({ ...validClaims(), sub: '1', roles: ['admin'] }));
  return {
    'alg none': `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`,
    'alg none with the signature kept': `${base64url(JSON.stringify({ alg: 'none' }))}.${payload}.${signature}`,
    'HS256 signed with the RS256 public key (alg confusion)': hs256(validClaims(), keys.publicPem),
    'HS256 signed with the public key DER': hs256(
      validClaims(),
      keys.publicKey.export({ type: 'spki', format: 'der' }) as Buffer,
    ),
    expired: await rs256(validClaims({ iat: now() - 7200, exp: now() - 3600 })),
    'not yet valid (nbf in an hour)': await rs256(validClaims({ nbf: now() + 3600 })),
    'wrong issuer': await rs256(validClaims({ iss: 'https://evil.test' })),
    'no issuer': await rs256({ sub: '7', aud: AUDIENCE, exp: now() + 600 }),
    'wrong audience': await rs256(validClaims({ aud: 'another-service' })),
    'no audience': await rs256({ sub: '7', iss: ISSUER, exp: now() + 600 }),
    'tampered payload (sub 1, admin) under the original signature': `${header}.${tamperedPayload}.${signature}`,
    'signature of another key': await new SignJWT({ ...validClaims() })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
    'no exp': await rs256({ sub: '7', iss: ISSUER, aud: AUDIENCE }),
    'empty signature': `${header}.${payload}.`,
    garbage: 'not.a.jwt',
  };
}

function createBody() {
  return { title: 'Token test bike', price: 10, currency: 'RSD', category_id: categories.bicycles, quantity: 1 };
}

async function listingCount(): Promise<number> {
  const [row] = await db.knex('listings').count<{ n: string }[]>({ n: '*' });
  return Number(row?.n);
}

describe('JWT attacks', () => {
  it('control: a valid RS256 token with issuer and audience is accepted on REST and gRPC', async () => {
    const token = await rs256(validClaims());
    const created = await request(service.base, 'POST', '/api/v1/listings', { token, body: createBody() });
    expect(created.status, created.text).toBe(201);
    expect(created.json.user_id).toBe(7);
    const listing = await service.grpc(token).createListing({
      userId: 7,
      title: 'gRPC token bike',
      price: 10,
      currency: 'RSD',
      categoryId: categories.bicycles as number,
      quantity: 1,
    });
    expect(listing.listing?.userId).toBe(7);
  });

  it('refuses every forged, expired, premature, misaddressed or tampered token on REST with 401, writing nothing', async () => {
    const before = await listingCount();
    for (const [name, token] of Object.entries(await forgedTokens())) {
      const answer = await request(service.base, 'POST', '/api/v1/listings', { token, body: createBody() });
      expect(answer.status, `${name}: ${answer.text}`).toBe(401);
      expect(answer.headers.get('content-type'), name).toContain('application/problem+json');
      expect(answer.headers.get('www-authenticate'), name).toMatch(/^Bearer/);
      const payload = token.split('.')[1] ?? '';
      if (payload.length > 8) expect(answer.text, name).not.toContain(payload); // the token is never echoed
      // A read with a bad token is refused too, not served anonymously.
      const read = await request(service.base, 'GET', '/api/v1/listings?limit=1', { token });
      expect(read.status, `${name} (read): ${read.text}`).toBe(401);
    }
    expect(await listingCount()).toBe(before);
  });

  it('refuses every forged token on gRPC with UNAUTHENTICATED, writing nothing', async () => {
    const before = await listingCount();
    for (const [name, token] of Object.entries(await forgedTokens())) {
      const error = await service
        .grpc(token)
        .createListing({
          userId: 7,
          title: 'Forged bike',
          price: 10,
          currency: 'RSD',
          categoryId: categories.bicycles as number,
          quantity: 1,
        })
        .catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(ListingsClientError);
      expect((error as ListingsClientError).code, `${name}: ${(error as Error).message}`).toBe(
        GrpcStatus.UNAUTHENTICATED,
      );
    }
    expect(await listingCount()).toBe(before);
  });

  it('ignores a token in the query string: the write is anonymous (401), never authenticated', async () => {
    const token = await rs256(validClaims());
    for (const name of ['access_token', 'token', 'jwt', 'authorization', 'bearer']) {
      const answer = await request(service.base, 'POST', `/api/v1/listings?${name}=${encodeURIComponent(token)}`, {
        body: createBody(),
      });
      // 401 (no credentials) or 400 (an unknown query parameter): either way not created.
      expect([400, 401], `${name}: ${answer.text}`).toContain(answer.status);
    }
    const headerless = await request(service.base, 'POST', '/api/v1/listings', {
      body: createBody(),
      headers: { cookie: `access_token=${token}`, 'x-access-token': token },
    });
    expect(headerless.status, headerless.text).toBe(401);
  });
});
