/** A client's cancel reaches the handler's signal; an answered call's signal is left alone. */
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../../adapters/grpc/context.ts';
import { GetListingResponse } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { type Harness, startServer } from './harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('unary call cancellation', () => {
  it('aborts the handler signal with INTERRUPTED when the client cancels, and logs the call as Canceled', async () => {
    let reason: Promise<unknown> | undefined;
    harness = await startServer({
      handlers: {
        GetListing: (_request, context: HandlerContext) => {
          reason = new Promise((resolve) =>
            context.signal.addEventListener('abort', () => resolve(context.signal.reason), { once: true }),
          );
          return new Promise(() => {});
        },
      },
    });
    const controller = new AbortController();
    const call = harness.client().getListing({ id: 1 }, { signal: controller.signal });
    while (reason === undefined) await sleep(5);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: status.CANCELLED });
    expect(await reason).toMatchObject({ code: 'INTERRUPTED' });
    while (!harness.logger.lines.some((line) => line.message === 'grpc call')) await sleep(5);
    const line = harness.logger.lines.find((l) => l.message === 'grpc call');
    expect(line?.fields.code).toBe('Canceled');
  });

  it('leaves the signal of an answered call unaborted (grpc-js reports every finished stream as cancelled)', async () => {
    const signals: AbortSignal[] = [];
    harness = await startServer({
      handlers: {
        GetListing: async (_request, context) => {
          signals.push(context.signal);
          return GetListingResponse.fromPartial({});
        },
      },
    });
    const client = harness.client();
    await client.getListing({ id: 1 });
    await client.getListing({ id: 2 });
    await sleep(50);
    expect(signals).toHaveLength(2);
    expect(signals.map((signal) => signal.aborted)).toEqual([false, false]);
    const lines = harness.logger.lines.filter((l) => l.message === 'grpc call');
    expect(lines.map((l) => l.fields.code)).toEqual(['success', 'success']);
  });
});
