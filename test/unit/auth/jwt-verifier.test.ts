import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../adapters/auth/create-token-verifier.ts';
import { JwtVerifier } from '../../../adapters/auth/jwt-verifier.ts';
import { NoneVerifier } from '../../../adapters/auth/none-verifier.ts';
import type { TokenVerifier } from '../../../ports/token-verifier.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { signToken, TEST_SECRET } from './tokens.ts';

async function refusal(verifier: TokenVerifier, token: string): Promise<AppError> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const hs256 = new JwtVerifier({ key: { kind: 'secret', secret: TEST_SECRET } });

describe('JwtVerifier with an HS256 secret', () => {
  it('derives the principal from sub, roles and scope', async () => {
    const principal = await hs256.verify(
      await signToken({ sub: '42', roles: ['admin'], scope: 'listings:write admin' }),
    );
    expect(principal).toEqual({ subject: '42', userId: 42, roles: ['admin', 'listings:write'], kind: 'user' });
  });

  it('marks a service token and leaves userId out for a non-numeric subject', async () => {
    const principal = await hs256.verify(await signToken({ sub: 'orders-service', roles: ['service'] }));
    expect(principal).toEqual({ subject: 'orders-service', roles: ['service'], kind: 'service' });
    expect((await hs256.verify(await signToken({ sub: '007' }))).userId).toBeUndefined();
  });

  it('refuses an expired token, but tolerates 30 s of clock skew', async () => {
    const expired = await refusal(hs256, await signToken({ expiresInS: -120 }));
    expect(expired).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'auth.token_expired' });
    await expect(hs256.verify(await signToken({ expiresInS: -10 }))).resolves.toMatchObject({ subject: '42' });
  });

  it('refuses a token signed with another secret', async () => {
    const other = new TextEncoder().encode('another-secret-that-is-32-bytes-long!!');
    expect(await refusal(hs256, await signToken({}, other))).toMatchObject({ reason: 'auth.bad_signature' });
  });

  it('refuses a token with another algorithm, or none', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const es256 = await signToken({}, privateKey, { alg: 'ES256' });
    expect(await refusal(hs256, es256)).toMatchObject({ reason: 'auth.algorithm_not_allowed' });
    const [, payload] = (await signToken()).split('.');
    const unsecured = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect((await refusal(hs256, unsecured)).code).toBe('UNAUTHENTICATED');
  });

  it('refuses tokens without exp, malformed tokens, and empty subjects', async () => {
    expect(await refusal(hs256, await signToken({ noExpiry: true }))).toMatchObject({ reason: 'auth.missing_claim' });
    expect(await refusal(hs256, 'not.a.jwt')).toMatchObject({ reason: 'auth.malformed_token' });
    expect(await refusal(hs256, await signToken({ sub: '' }))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new JwtVerifier({
      key: { kind: 'secret', secret: TEST_SECRET },
      issuer: 'https://auth.svetu',
      audience: 'listings',
    });
    await expect(
      strict.verify(await signToken({ issuer: 'https://auth.svetu', audience: 'listings' })),
    ).resolves.toBeTruthy();
    const audience = await refusal(strict, await signToken({ issuer: 'https://auth.svetu', audience: 'payments' }));
    expect(audience).toMatchObject({ reason: 'auth.wrong_audience' });
    const issuer = await refusal(strict, await signToken({ issuer: 'https://evil', audience: 'listings' }));
    expect(issuer).toMatchObject({ reason: 'auth.wrong_issuer' });
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new JwtVerifier({ key: { kind: 'secret', secret: 'short' } })).toThrow(/at least 32 bytes/);
  });
});

describe('JwtVerifier with a JWKS endpoint (ES256)', () => {
  let server: Server;
  let url: string;
  let privateKey: CryptoKey;
  let available = true;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((_request, response) => {
      if (!available) {
        response.writeHead(503).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('verifies a token signed by a published key', async () => {
    const verifier = new JwtVerifier({ key: { kind: 'jwks', url } });
    const token = await signToken({ sub: '7', roles: ['admin'] }, privateKey, { alg: 'ES256', kid: 'k1' });
    expect(await verifier.verify(token)).toEqual({ subject: '7', userId: 7, roles: ['admin'], kind: 'user' });
  });

  it('refuses an unknown key id and an HS256 token', async () => {
    const verifier = new JwtVerifier({ key: { kind: 'jwks', url } });
    const unknown = await signToken({}, privateKey, { alg: 'ES256', kid: 'k2' });
    expect(await refusal(verifier, unknown)).toMatchObject({ reason: 'auth.unknown_key' });
    expect(await refusal(verifier, await signToken())).toMatchObject({ reason: 'auth.algorithm_not_allowed' });
  });

  it('answers DEPENDENCY_UNAVAILABLE when the key server fails, not UNAUTHENTICATED', async () => {
    available = false;
    try {
      const verifier = new JwtVerifier({ key: { kind: 'jwks', url } });
      const token = await signToken({}, privateKey, { alg: 'ES256', kid: 'k1' });
      expect((await refusal(verifier, token)).code).toBe('DEPENDENCY_UNAVAILABLE');
    } finally {
      available = true;
    }
  });
});

describe('JwtVerifier with a PEM public key (RS256)', () => {
  it('verifies RS256 and refuses other algorithms', async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const verifier = new JwtVerifier({ key: { kind: 'public-key', pem: await exportSPKI(pair.publicKey) } });
    await expect(verifier.verify(await signToken({}, pair.privateKey, { alg: 'RS256' }))).resolves.toMatchObject({
      userId: 42,
    });
    expect(await refusal(verifier, await signToken())).toMatchObject({ reason: 'auth.algorithm_not_allowed' });
  });
});

describe('createTokenVerifier', () => {
  it('falls back to NoneVerifier, which refuses every token', async () => {
    const verifier = await createTokenVerifier({ jwtSecret: '', jwksUrl: '' });
    expect(verifier).toBeInstanceOf(NoneVerifier);
    expect(await refusal(verifier, await signToken())).toMatchObject({ reason: 'auth.not_configured' });
  });

  it('reads the PEM file, and refuses two key sources or an unreadable file', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const path = join(await mkdtemp(join(tmpdir(), 'listings-auth-')), 'public.pem');
    await writeFile(path, await exportSPKI(pair.publicKey));
    const verifier = await createTokenVerifier({ publicKeyPath: path });
    await expect(verifier.verify(await signToken({}, pair.privateKey, { alg: 'ES256' }))).resolves.toMatchObject({
      userId: 42,
    });
    await expect(createTokenVerifier({ jwtSecret: TEST_SECRET, publicKeyPath: path })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    await expect(createTokenVerifier({ publicKeyPath: `${path}.missing` })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
