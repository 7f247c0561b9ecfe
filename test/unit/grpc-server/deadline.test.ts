/** §8: per-method timeouts, the client's tighter deadline, the handler's AbortSignal, start-up validation (#20). */
import { Metadata, status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../../adapters/grpc/context.ts';
import { GetListingResponse } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { formatGoDuration } from '../../../adapters/grpc/go-duration.ts';
import { DEFAULT_TIMEOUTS_MS } from '../../../adapters/grpc/interceptors/deadline.ts';
import { createGrpcServer } from '../../../adapters/grpc/server.ts';
import { type Harness, memoryLogger, rawCall, startServer } from './harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A handler that never answers by itself and reports the context it was given. */
function hangingHandler() {
  let resolveContext: (context: HandlerContext) => void = () => {};
  const seen = new Promise<HandlerContext>((resolve) => {
    resolveContext = resolve;
  });
  const aborted = seen.then(
    (context) =>
      new Promise<unknown>((resolve) => {
        context.signal.addEventListener('abort', () => resolve(context.signal.reason), { once: true });
      }),
  );
  const handler = async (_request: unknown, context: HandlerContext): Promise<GetListingResponse> => {
    resolveContext(context);
    await sleep(5_000);
    return GetListingResponse.fromPartial({});
  };
  return { handler, seen, aborted };
}

describe('deadline interceptor', () => {
  it('answers DEADLINE_EXCEEDED past the method timeout and aborts the handler signal', async () => {
    const hanging = hangingHandler();
    const timeouts: [string, number][] = [];
    harness = await startServer({
      handlers: { GetListing: hanging.handler },
      interceptors: {
        deadline: { timeoutsMs: { GetListing: 50 }, observer: { onTimeout: (m, s) => timeouts.push([m, s]) } },
      },
    });
    const started = Date.now();
    const { error } = await rawCall(harness.raw.getListing, harness.raw, { id: 1 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error?.code).toBe(status.DEADLINE_EXCEEDED);
    expect(error?.details).toMatch(/^request timeout after \d+(\.\d+)?ms \(limit: 50ms\)$/);
    expect(await hanging.aborted).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(timeouts).toEqual([['/listings.v1.ListingsService/GetListing', expect.any(Number)]]);
    const line = harness.logger.lines.find((l) => l.message === 'grpc call');
    expect(line?.fields.code).toBe('DeadlineExceeded');
  });

  it('bounds a token check and a rate-limit store that never answer, not only the handler', async () => {
    const never = () => new Promise<never>(() => {});
    for (const interceptors of [
      { auth: { verifyToken: never } },
      { rateLimit: { consume: never, trustProxyHeaders: false } },
    ]) {
      harness = await startServer({
        handlers: { GetListing: async () => GetListingResponse.fromPartial({}) },
        interceptors: { deadline: { timeoutsMs: { GetListing: 50 } }, ...interceptors },
      });
      const metadata = new Metadata();
      if ('auth' in interceptors) metadata.set('authorization', 'Bearer some.jwt.token');
      const started = Date.now();
      const { error } = await rawCall(harness.raw.getListing, harness.raw, { id: 1 }, metadata);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(error?.code).toBe(status.DEADLINE_EXCEEDED);
      expect(error?.details).toMatch(/\(limit: 50ms\)$/);
      await harness.close();
      harness = undefined;
    }
  });

  it('uses the client deadline when it is tighter than the method timeout', async () => {
    const hanging = hangingHandler();
    harness = await startServer({ handlers: { GetListing: hanging.handler } });
    const started = Date.now();
    const { error } = await rawCall(harness.raw.getListing, harness.raw, { id: 1 }, new Metadata(), {
      deadline: started + 150,
    });
    expect(error?.code).toBe(status.DEADLINE_EXCEEDED);
    const context = await hanging.seen;
    // GetListing's own timeout is 5 s; the handler was told the client's 150 ms.
    expect(context.deadline).toBeGreaterThan(started);
    expect(context.deadline).toBeLessThanOrEqual(started + 400);
    await hanging.aborted;
    expect(context.signal.aborted).toBe(true);
  });

  it('gives the method timeout to the handler when the client sent no deadline', async () => {
    let deadline = 0;
    harness = await startServer({
      handlers: {
        IncrementProductViews: async (_request, context) => {
          deadline = context.deadline;
          return {};
        },
      },
    });
    const before = Date.now();
    await rawCall(harness.raw.incrementProductViews, harness.raw, { productId: 1 });
    expect(deadline - before).toBeGreaterThan(2_500);
    expect(deadline - before).toBeLessThanOrEqual(3_100);
  });

  it('warns about a call that used more than 80 % of its timeout', async () => {
    const near: string[] = [];
    harness = await startServer({
      handlers: {
        GetListing: async () => {
          await sleep(850);
          return GetListingResponse.fromPartial({});
        },
      },
      interceptors: {
        deadline: { timeoutsMs: { GetListing: 1_000 }, observer: { onNearTimeout: (m) => near.push(m) } },
      },
    });
    const { error } = await rawCall(harness.raw.getListing, harness.raw, { id: 1 });
    expect(error).toBeNull();
    expect(near).toEqual(['/listings.v1.ListingsService/GetListing']);
    expect(harness.logger.lines.find((l) => l.level === 'warn')).toMatchObject({
      message: 'grpc call near its timeout',
      fields: { method: '/listings.v1.ListingsService/GetListing', timeout_ms: 1_000 },
    });
  });

  it('refuses at start-up a timeout table naming an RPC the service does not have', () => {
    const build = () =>
      createGrpcServer({
        handlers: {},
        reflection: false,
        logger: memoryLogger(),
        interceptors: { deadline: { timeoutsMs: { GetListing: 5_000, GetInventoryStatus: 5_000, GetStock: 3_000 } } },
      });
    expect(build).toThrow(
      'the gRPC timeout table names RPCs that listings.v1.ListingsService does not have: GetInventoryStatus, GetStock',
    );
    expect(build).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('refuses a non-positive timeout, and a handler for an RPC that does not exist', () => {
    const logger = memoryLogger();
    expect(() =>
      createGrpcServer({
        handlers: {},
        reflection: false,
        logger,
        interceptors: { deadline: { timeoutsMs: { GetListing: 0 } } },
      }),
    ).toThrow('the gRPC timeout for GetListing must be a positive number of milliseconds');
    expect(() =>
      createGrpcServer({ handlers: { UpdateStock: async () => ({}) } as never, reflection: false, logger }),
    ).toThrow('handlers for RPCs ListingsService does not have: UpdateStock');
  });

  it('ships a default table of real RPCs with the §8 values', () => {
    expect(DEFAULT_TIMEOUTS_MS).toMatchObject({ GetListing: 5_000, DeleteListing: 15_000, BatchUpdateStock: 20_000 });
    expect(() => createGrpcServer({ handlers: {}, reflection: false, logger: memoryLogger() })).not.toThrow();
  });
});

describe('formatGoDuration (as Go prints time.Duration)', () => {
  it.each([
    [60_000, '1m0s'],
    [5_000, '5s'],
    [5_001.2345, '5.0012345s'],
    [150, '150ms'],
    [1.5, '1.5ms'],
    [0.5, '500µs'],
    [0.000_1, '100ns'],
    [3_600_000, '1h0m0s'],
    [90_500, '1m30.5s'],
    [0, '0s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});
