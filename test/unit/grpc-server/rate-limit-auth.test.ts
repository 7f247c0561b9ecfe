/** §7 rate limiting (identifier without port, RetryInfo) and bearer-token authentication. */
import { Metadata, status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../adapters/grpc/context.ts';
import { GetListingResponse } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { createGrpcServer } from '../../../adapters/grpc/server.ts';
import { decodeStatusDetails } from '../../../adapters/grpc/status-details.ts';
import type { RateLimitDecision, RateLimitRule } from '../../../ports/rate-limiter.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { type Harness, memoryLogger, rawCall, startServer } from './harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const metadataOf = (entries: Record<string, string>) => {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return metadata;
};

/** A limiter that records every consume and allows the first `allow` calls. */
function fakeLimiter(allow = Number.POSITIVE_INFINITY) {
  const calls: { key: string; rule: RateLimitRule }[] = [];
  const consume = async (key: string, rule: RateLimitRule): Promise<RateLimitDecision> => {
    calls.push({ key, rule });
    const allowed = calls.length <= allow;
    return {
      allowed,
      remaining: allowed ? 1 : 0,
      limit: rule.limit,
      resetMs: 60_000,
      retryAfterMs: allowed ? 0 : 1_500,
    };
  };
  return { calls, consume };
}

const echoPrincipal = {
  GetListing: async (_request: unknown, context: { principal: Principal | undefined }) =>
    GetListingResponse.fromPartial({ listing: { title: JSON.stringify(context.principal ?? null) } }),
};

describe('rate limiting', () => {
  it('rejects with RESOURCE_EXHAUSTED `rate limit exceeded: maximum <N> requests per 1m0s` and RetryInfo', async () => {
    const limiter = fakeLimiter(1);
    const finished: string[] = [];
    harness = await startServer({
      handlers: echoPrincipal,
      interceptors: {
        rateLimit: { consume: limiter.consume },
        metrics: { onStart: () => {}, onFinish: (_m, s) => finished.push(s) },
      },
    });
    expect((await rawCall(harness.raw.getListing, harness.raw, { id: 1 })).error).toBeNull();
    const { error } = await rawCall(harness.raw.getListing, harness.raw, { id: 1 });
    expect(error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error?.details).toBe('rate limit exceeded: maximum 200 requests per 1m0s');
    expect(decodeStatusDetails(error?.metadata)).toMatchObject({ reason: 'RATE_LIMITED', retryDelayMs: 1_500 });
    // §11: rejections are not counted in the gRPC request metrics.
    expect(finished).toEqual(['success']);
  });

  it('keys on the peer IP without its port, so new connections share one budget', async () => {
    const limiter = fakeLimiter();
    harness = await startServer({ handlers: echoPrincipal, interceptors: { rateLimit: { consume: limiter.consume } } });
    await rawCall(harness.raw.getListing, harness.raw, { id: 1 });
    const second = harness.client();
    await second.getListing({ id: 2 });
    expect(limiter.calls.map((c) => c.key)).toEqual([
      'listings.v1.ListingsService:GetListing:127.0.0.1',
      'listings.v1.ListingsService:GetListing:127.0.0.1',
    ]);
    expect(limiter.calls[0]?.rule).toEqual({ limit: 200, windowMs: 60_000 });
  });

  it('prefers the principal, then the first x-forwarded-for entry, then x-real-ip', async () => {
    const limiter = fakeLimiter();
    harness = await startServer({
      handlers: echoPrincipal,
      interceptors: {
        rateLimit: { consume: limiter.consume },
        auth: { verifyToken: async () => ({ subject: '42', userId: 42, roles: [], kind: 'user' }) },
      },
    });
    const call = (entries: Record<string, string>) =>
      rawCall(harness!.raw.getListing, harness!.raw, { id: 1 }, metadataOf(entries));
    await call({ 'x-forwarded-for': '203.0.113.7:4711, 10.0.0.1', 'x-real-ip': '198.51.100.2' });
    await call({ 'x-real-ip': '198.51.100.2' });
    await call({ authorization: 'Bearer good', 'x-forwarded-for': '203.0.113.7' });
    await rawCall(
      harness.raw.deleteListing,
      harness.raw,
      { id: 1, userId: 1 },
      metadataOf({ 'x-real-ip': '::ffff:198.51.100.9' }),
    );
    expect(limiter.calls.map((c) => c.key)).toEqual([
      'listings.v1.ListingsService:GetListing:203.0.113.7',
      'listings.v1.ListingsService:GetListing:198.51.100.2',
      'listings.v1.ListingsService:GetListing:user:42',
      'listings.v1.ListingsService:DeleteListing:198.51.100.9',
    ]);
    expect(limiter.calls[3]?.rule).toEqual({ limit: 20, windowMs: 60_000 });
  });

  it('passes on the limiter failing closed as UNAVAILABLE', async () => {
    harness = await startServer({
      handlers: echoPrincipal,
      interceptors: {
        rateLimit: {
          consume: async () => {
            throw new AppError('DEPENDENCY_UNAVAILABLE', 'rate limiter unavailable');
          },
        },
      },
    });
    const { error } = await rawCall(harness.raw.getListing, harness.raw, { id: 1 });
    expect(error?.code).toBe(status.UNAVAILABLE);
  });

  it('refuses at start-up a rule for an RPC the service does not have', () => {
    expect(() =>
      createGrpcServer({
        handlers: {},
        reflection: false,
        logger: memoryLogger(),
        interceptors: {
          rateLimit: {
            consume: fakeLimiter().consume,
            rules: { GetInventoryStatus: { limit: 200, windowMs: 60_000 } },
          },
        },
      }),
    ).toThrow(
      'the gRPC rate-limit table names RPCs that listings.v1.ListingsService does not have: GetInventoryStatus',
    );
  });
});

describe('authentication', () => {
  const user: Principal = { subject: '42', userId: 42, roles: ['admin'], kind: 'user' };

  it('passes the bearer token to verifyToken and the principal to the handler', async () => {
    const tokens: string[] = [];
    harness = await startServer({
      handlers: echoPrincipal,
      interceptors: {
        auth: {
          verifyToken: async (token) => {
            tokens.push(token);
            return user;
          },
        },
      },
    });
    const { response } = await rawCall<GetListingResponse>(
      harness.raw.getListing,
      harness.raw,
      { id: 1 },
      metadataOf({ authorization: 'Bearer abc.def.ghi' }),
    );
    expect(tokens).toEqual(['abc.def.ghi']);
    expect(JSON.parse(response?.listing?.title ?? '')).toEqual(user);
  });

  it('lets a caller without a token through as anonymous: the handler decides', async () => {
    harness = await startServer({ handlers: echoPrincipal, interceptors: { auth: { verifyToken: async () => user } } });
    const { response } = await rawCall<GetListingResponse>(harness.raw.getListing, harness.raw, { id: 1 });
    expect(response?.listing?.title).toBe('null');
  });

  it('answers UNAUTHENTICATED for a bad token, a non-bearer scheme, or when no verifier is configured', async () => {
    harness = await startServer({
      handlers: echoPrincipal,
      interceptors: {
        auth: {
          verifyToken: async (token) => {
            if (token === 'expired') {
              throw new AppError('UNAUTHENTICATED', 'the token has expired', { reason: 'auth.token_expired' });
            }
            throw new Error('JWSSignatureVerificationFailed: secret details');
          },
        },
      },
    });
    const call = (authorization: string) =>
      rawCall(harness!.raw.getListing, harness!.raw, { id: 1 }, metadataOf({ authorization }));
    const expired = (await call('Bearer expired')).error;
    expect(expired?.code).toBe(status.UNAUTHENTICATED);
    expect(expired?.details).toBe('auth.token_expired');
    const forged = (await call('Bearer forged')).error;
    expect(forged?.code).toBe(status.UNAUTHENTICATED);
    expect(forged?.details).toBe('invalid or expired token');
    expect((await call('Basic dXNlcjpwdw==')).error?.details).toBe('authorization must be "Bearer <token>"');
    await harness.close();

    harness = await startServer({ handlers: echoPrincipal });
    const unverifiable = await rawCall(
      harness.raw.getListing,
      harness.raw,
      { id: 1 },
      metadataOf({ authorization: 'Bearer x' }),
    );
    expect(unverifiable.error?.code).toBe(status.UNAUTHENTICATED);
  });

  it('admits token-less callers from trusted peers or service names as service principals, and says so at start-up', async () => {
    harness = await startServer({
      handlers: echoPrincipal,
      interceptors: { auth: { trustedPeers: ['127.0.0.0/8'], trustedServiceNames: ['orders'] } },
    });
    expect(harness.logger.lines[0]).toMatchObject({ level: 'warn', fields: { trusted_peers: ['127.0.0.0/8'] } });
    const byPeer = await rawCall<GetListingResponse>(harness.raw.getListing, harness.raw, { id: 1 });
    expect(JSON.parse(byPeer.response?.listing?.title ?? '')).toEqual({
      subject: 'peer:127.0.0.1',
      roles: ['service'],
      kind: 'service',
    });
    const byName = await rawCall<GetListingResponse>(
      harness.raw.getListing,
      harness.raw,
      { id: 1 },
      metadataOf({ 'x-service-name': 'orders' }),
    );
    expect(JSON.parse(byName.response?.listing?.title ?? '')).toMatchObject({ subject: 'service:orders' });
  });

  it('does not trust peers outside the configured ranges', async () => {
    harness = await startServer({ handlers: echoPrincipal, interceptors: { auth: { trustedPeers: ['10.0.0.0/8'] } } });
    const { response } = await rawCall<GetListingResponse>(
      harness.raw.getListing,
      harness.raw,
      { id: 1 },
      metadataOf({ 'x-forwarded-for': '10.1.2.3' }),
    );
    expect(response?.listing?.title).toBe('null');
  });
});
