/** Handler failures reach the caller as the right gRPC status, with google.rpc details in the trailers. */
import { Metadata, status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateListingRequest,
  GetListingResponse,
  GetProductRequest,
} from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { decodeStatusDetails, STATUS_DETAILS_KEY } from '../../../adapters/grpc/status-details.ts';
import { AppError, validationError } from '../../../src/domain/errors.ts';
import { type Harness, rawCall, startServer } from './harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('gRPC error mapping', () => {
  it('answers UNIMPLEMENTED `method <Rpc> not implemented` for an RPC without a handler', async () => {
    harness = await startServer();
    const { error } = await rawCall(harness.raw.getStorefront, harness.raw, { id: 1 });
    expect(error?.code).toBe(status.UNIMPLEMENTED);
    expect(error?.details).toBe('method GetStorefront not implemented');
    expect(decodeStatusDetails(error?.metadata)?.reason).toBe('NOT_IMPLEMENTED');
  });

  it('serves a handler and echoes x-request-id in the response headers', async () => {
    harness = await startServer({
      handlers: {
        GetListing: async (request) => GetListingResponse.fromPartial({ listing: { id: request.id, title: 'Bike' } }),
      },
    });
    const metadata = new Metadata();
    metadata.set('x-request-id', 'req-123');
    const { error, response, headers } = await rawCall<GetListingResponse>(
      harness.raw.getListing,
      harness.raw,
      { id: 7 },
      metadata,
    );
    expect(error).toBeNull();
    expect(response?.listing).toMatchObject({ id: 7, title: 'Bike' });
    expect(headers?.get('x-request-id')).toEqual(['req-123']);
  });

  it('maps VALIDATION_FAILED to INVALID_ARGUMENT with ErrorInfo and BadRequest violations', async () => {
    harness = await startServer({
      handlers: {
        CreateListing: async () => {
          throw validationError([
            { field: 'title', reason: 'too_short', message: 'title must be at least 3 characters' },
            { field: 'price', reason: 'must_be_positive', message: 'price must be greater than 0' },
          ]);
        },
      },
    });
    const { error } = await rawCall(
      harness.raw.createListing,
      harness.raw,
      CreateListingRequest.fromPartial({ userId: 1 }),
    );
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expect(error?.details).toBe('title must be at least 3 characters; price must be greater than 0');
    expect(error?.metadata.get(STATUS_DETAILS_KEY)[0]).toBeInstanceOf(Buffer);
    const details = decodeStatusDetails(error?.metadata);
    expect(details).toMatchObject({
      code: status.INVALID_ARGUMENT,
      message: 'title must be at least 3 characters; price must be greater than 0',
      reason: 'VALIDATION_FAILED',
      domain: 'listings.v1',
      retryDelayMs: undefined,
    });
    expect(details?.violations).toEqual([
      { field: 'title', description: 'title must be at least 3 characters', reason: 'too_short' },
      { field: 'price', description: 'price must be greater than 0', reason: 'must_be_positive' },
    ]);
  });

  it('sends the dotted reason of the original as the status message, the human text in ErrorInfo', async () => {
    harness = await startServer({
      handlers: {
        GetProduct: async () => {
          throw new AppError('PRODUCT_NOT_FOUND', 'product 9 not found in storefront 3', {
            reason: 'products.not_found',
            details: { product_id: 9 },
          });
        },
      },
    });
    const { error } = await rawCall(
      harness.raw.getProduct,
      harness.raw,
      GetProductRequest.fromPartial({ productId: 9 }),
    );
    expect(error?.code).toBe(status.NOT_FOUND);
    expect(error?.details).toBe('products.not_found');
    const details = decodeStatusDetails(error?.metadata);
    expect(details?.reason).toBe('PRODUCT_NOT_FOUND');
    expect(details?.metadata).toEqual({
      legacy_reason: 'products.not_found',
      message: 'product 9 not found in storefront 3',
      product_id: '9',
    });
  });

  it('turns an unknown error into INTERNAL without leaking its message, and logs it', async () => {
    harness = await startServer({
      handlers: {
        GetListing: async () => {
          throw new Error('connect ECONNREFUSED 10.1.2.3:5432 password=hunter2');
        },
      },
    });
    const { error } = await rawCall(harness.raw.getListing, harness.raw, { id: 1 });
    expect(error?.code).toBe(status.INTERNAL);
    expect(error?.details).toBe('internal error');
    expect(JSON.stringify(decodeStatusDetails(error?.metadata))).not.toContain('ECONNREFUSED');
    const logged = harness.logger.lines.find((line) => line.level === 'error');
    expect(logged?.fields).toMatchObject({ method: '/listings.v1.ListingsService/GetListing', code: 'Internal' });
    expect((logged!.fields.err as Error).message).toContain('ECONNREFUSED');
  });

  it('logs one line per call with method, code, duration_ms, request_id and peer', async () => {
    harness = await startServer({
      handlers: {
        GetCategory: async () => {
          throw new AppError('CATEGORY_NOT_FOUND', 'category not found: 5');
        },
      },
    });
    await rawCall(harness.raw.getCategory, harness.raw, { categoryId: 5 });
    const lines = harness.logger.lines.filter((line) => line.message === 'grpc call');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.fields).toMatchObject({
      method: '/listings.v1.ListingsService/GetCategory',
      code: 'NotFound',
      error_code: 'CATEGORY_NOT_FOUND',
      peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(lines[0]?.fields.duration_ms).toBeTypeOf('number');
  });

  it('builds no access line the logger would drop, but still logs an unexpected failure at error level', async () => {
    const lines: { level: string; message: string }[] = [];
    const at = (level: string) => (_fields: Record<string, unknown>, message: string) => {
      lines.push({ level, message });
    };
    const errorsOnly = {
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      isLevelEnabled: (level: string) => level === 'error',
    };
    harness = await startServer({
      logger: errorsOnly,
      handlers: {
        GetRootCategories: async () => ({ categories: [] }),
        GetCategory: async () => {
          throw new Error('boom');
        },
      },
    });
    await rawCall(harness.raw.getRootCategories, harness.raw, {});
    expect(lines).toEqual([]);
    await rawCall(harness.raw.getCategory, harness.raw, { categoryId: 5 });
    expect(lines).toEqual([{ level: 'error', message: 'grpc call failed unexpectedly' }]);
  });

  it('reports each call to the metrics observer with the §11 status names', async () => {
    const events: unknown[] = [];
    harness = await startServer({
      handlers: {
        GetCategory: async () => {
          throw new AppError('CATEGORY_NOT_FOUND', 'category not found: 5');
        },
        GetRootCategories: async () => ({ categories: [] }),
      },
      interceptors: {
        metrics: {
          onStart: (method) => events.push(['start', method]),
          onFinish: (method, statusName, seconds) => events.push(['finish', method, statusName, typeof seconds]),
        },
      },
    });
    await rawCall(harness.raw.getCategory, harness.raw, { categoryId: 5 });
    await rawCall(harness.raw.getRootCategories, harness.raw, {});
    await rawCall(harness.raw.syncDiscounts, harness.raw, {});
    const path = (rpc: string) => `/listings.v1.ListingsService/${rpc}`;
    expect(events).toEqual([
      ['start', path('GetCategory')],
      ['finish', path('GetCategory'), 'NotFound', 'number'],
      ['start', path('GetRootCategories')],
      ['finish', path('GetRootCategories'), 'success', 'number'],
      ['start', path('SyncDiscounts')],
      ['finish', path('SyncDiscounts'), 'Unimplemented', 'number'],
    ]);
  });
});
