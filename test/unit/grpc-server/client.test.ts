/** listings/client: typed promise calls, decoded error details, retries only where repeating is safe. */
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { ListingsClientError } from '../../../adapters/grpc/client/index.ts';
import { isIdempotentRpc, isReadRpc, retryDelay } from '../../../adapters/grpc/client/retry-policy.ts';
import { CreateListingRequest, GetListingResponse } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { RPCS } from '../../../adapters/grpc/rpcs.ts';
import { AppError, validationError } from '../../../src/domain/errors.ts';
import { type Harness, startServer } from './harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const fast = { maxAttempts: 3, initialBackoffMs: 1, maxBackoffMs: 50 };
const unavailable = () => new AppError('DEPENDENCY_UNAVAILABLE', 'database unreachable');

describe('listings client', () => {
  it('has a method for each of the 53 RPCs', async () => {
    harness = await startServer();
    const client = harness.client();
    const names = RPCS.map((rpc) => rpc.name.charAt(0).toLowerCase() + rpc.name.slice(1));
    expect(names).toHaveLength(53);
    for (const name of names)
      expect(typeof (client as unknown as Record<string, unknown>)[name], name).toBe('function');
    expect(names).toContain('getProductsBySKUs');
  });

  it('retries an idempotent read after UNAVAILABLE, keeping the token and the request id', async () => {
    const seen: { token: string | undefined; requestId: string }[] = [];
    harness = await startServer({
      handlers: {
        GetListing: async (request, context) => {
          seen.push({ token: context.principal?.subject, requestId: context.requestId });
          if (seen.length < 3) throw unavailable();
          return GetListingResponse.fromPartial({ listing: { id: request.id } });
        },
      },
      interceptors: { auth: { verifyToken: async (token) => ({ subject: token, roles: [], kind: 'user' }) } },
    });
    const client = harness.client({ retries: fast, token: () => 'tok-1' });
    const response = await client.getListing({ id: 5 });
    expect(response.listing?.id).toBe(5);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.requestId)).size).toBe(1);
    expect(seen.every((s) => s.token === 'tok-1')).toBe(true);
  });

  it('gives up after maxAttempts and surfaces the last error', async () => {
    let calls = 0;
    harness = await startServer({
      handlers: {
        IsFavorite: async () => {
          calls += 1;
          throw unavailable();
        },
      },
    });
    const client = harness.client({ retries: fast });
    const error = await client.isFavorite({ userId: 1, listingId: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListingsClientError);
    expect(error).toMatchObject({ code: status.UNAVAILABLE, details: 'database unreachable', rpc: 'IsFavorite' });
    expect(calls).toBe(3);
  });

  it('never retries CreateListing', async () => {
    let calls = 0;
    harness = await startServer({
      handlers: {
        CreateListing: async () => {
          calls += 1;
          throw unavailable();
        },
      },
    });
    const client = harness.client({ retries: { ...fast, maxAttempts: 5 } });
    await expect(client.createListing(CreateListingRequest.fromPartial({ title: 'Bike' }))).rejects.toMatchObject({
      code: status.UNAVAILABLE,
    });
    expect(calls).toBe(1);
  });

  it('retries a read after DEADLINE_EXCEEDED but not an idempotent write', async () => {
    const calls = { GetListing: 0, AddToFavorites: 0 };
    harness = await startServer({
      handlers: {
        GetListing: async () => {
          calls.GetListing += 1;
          if (calls.GetListing === 1) await new Promise((resolve) => setTimeout(resolve, 500));
          return GetListingResponse.fromPartial({});
        },
        AddToFavorites: async () => {
          calls.AddToFavorites += 1;
          await new Promise((resolve) => setTimeout(resolve, 500));
          return {};
        },
      },
    });
    const client = harness.client({ retries: fast, deadlineMs: 100 });
    await expect(client.getListing({ id: 1 })).resolves.toBeDefined();
    expect(calls.GetListing).toBe(2);
    await expect(client.addToFavorites({ userId: 1, listingId: 1 })).rejects.toMatchObject({
      code: status.DEADLINE_EXCEEDED,
    });
    expect(calls.AddToFavorites).toBe(1);
  });

  it('waits as long as RetryInfo asks after RESOURCE_EXHAUSTED, and gives up when that is beyond maxBackoffMs', async () => {
    let calls = 0;
    harness = await startServer({
      handlers: {
        SearchListings: async () => {
          calls += 1;
          if (calls === 1) throw new AppError('RATE_LIMITED', 'rate limit exceeded', { retryAfterMs: 200 });
          return { listings: [], total: 0 };
        },
        GetProductStats: async () => {
          throw new AppError('RATE_LIMITED', 'rate limit exceeded', { retryAfterMs: 60_000 });
        },
      },
    });
    const client = harness.client({ retries: { ...fast, maxBackoffMs: 1_000 } });
    const started = Date.now();
    await client.searchListings({ query: 'bike', limit: 10, offset: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect(calls).toBe(2);
    const error = await client.getProductStats({ storefrontId: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: status.RESOURCE_EXHAUSTED, statusDetails: { retryDelayMs: 60_000 } });
  });

  it('surfaces code, details and decoded status details', async () => {
    harness = await startServer({
      handlers: {
        CreateListing: async () => {
          throw validationError([
            { field: 'price', reason: 'must_be_positive', message: 'price must be greater than 0' },
          ]);
        },
      },
    });
    const client = harness.client();
    const error = (await client
      .createListing(CreateListingRequest.fromPartial({}))
      .catch((e: unknown) => e)) as ListingsClientError;
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe('price must be greater than 0');
    expect(error.message).toBe('CreateListing: INVALID_ARGUMENT: price must be greater than 0');
    expect(error.statusDetails).toMatchObject({
      reason: 'VALIDATION_FAILED',
      domain: 'listings.v1',
      violations: [{ field: 'price', description: 'price must be greater than 0', reason: 'must_be_positive' }],
    });
  });

  it('cancels a call through its AbortSignal', async () => {
    harness = await startServer({ handlers: { GetListing: () => new Promise(() => {}) } });
    const client = harness.client();
    const controller = new AbortController();
    const call = client.getListing({ id: 1 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toMatchObject({ code: status.CANCELLED });
  });

  it('reports UNAVAILABLE when nothing listens, after its retries', async () => {
    harness = await startServer();
    const address = harness.address;
    await harness.close();
    harness = undefined;
    const { createListingsClient } = await import('../../../adapters/grpc/client/index.ts');
    const client = createListingsClient(address, { retries: fast });
    try {
      await expect(client.getCategory({ categoryId: 1 })).rejects.toMatchObject({ code: status.UNAVAILABLE });
    } finally {
      client.close();
    }
  });
});

describe('retry policy', () => {
  it('classifies reads and idempotent writes', () => {
    expect(RPCS.filter((rpc) => isReadRpc(rpc.name))).toHaveLength(26);
    expect(['AddToFavorites', 'RemoveFromFavorites', 'RollbackStock'].every(isIdempotentRpc)).toBe(true);
    for (const write of [
      'CreateListing',
      'DecrementStock',
      'IncrementProductViews',
      'BulkCreateProducts',
      'SyncDiscounts',
    ]) {
      expect(isIdempotentRpc(write), write).toBe(false);
    }
  });

  it('backs off exponentially with jitter, capped', () => {
    const error = new ListingsClientError('GetListing', { code: status.UNAVAILABLE, details: 'x' });
    const options = { maxAttempts: 10, initialBackoffMs: 100, maxBackoffMs: 1_000 };
    expect(retryDelay('GetListing', error, 1, options, () => 0)).toBe(50);
    expect(retryDelay('GetListing', error, 1, options, () => 0.999_999)).toBe(100);
    expect(retryDelay('GetListing', error, 3, options, () => 0.999_999)).toBe(400);
    expect(retryDelay('GetListing', error, 8, options, () => 0.999_999)).toBe(1_000);
    expect(retryDelay('GetListing', error, 10, options, () => 0)).toBeUndefined();
  });
});
