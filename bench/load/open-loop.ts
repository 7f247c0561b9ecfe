import { setTimeout as sleep } from 'node:timers/promises';
import { MIX, type MixEntry, type Operation, pickOperation, pickTransport, type Transport } from './mix.ts';
import { dueCount, dueOffsetMs, requestsInStep } from './schedule.ts';
import type { Sample } from './slo.ts';
import type { CallResult } from './workload.ts';

export interface StepRun {
  readonly rate: number;
  readonly durationMs: number;
  readonly samples: readonly Sample[];
  /** Answers (of any kind) per second over the step's span, from its start to its last answer. */
  readonly completedPerSec: number;
  /**
   * How late this generator sent the latest of its requests (send time - due time). Latency counts from the due
   * time, so a generator that fell behind adds its own delay to the figures; a large value says so.
   */
  readonly maxSendLagMs: number;
  /** The first few distinct failure and client-error details, per operation. */
  readonly details: ReadonlyMap<Operation, readonly string[]>;
}

const DETAILS_KEPT = 3;

/**
 * Sends `rate` requests per second for `durationMs`, each due at a fixed time whatever the earlier ones did (an
 * open loop), drawing each request's operation from `mix` and its transport at random; then waits for every
 * answer (every request has a timeout, so this ends).
 */
export async function runStep(
  call: (operation: Operation, transport: Transport) => Promise<CallResult>,
  rate: number,
  durationMs: number,
  mix: readonly MixEntry[] = MIX,
): Promise<StepRun> {
  const total = requestsInStep(rate, durationMs);
  const samples: Sample[] = [];
  const details = new Map<Operation, string[]>();
  const pending: Promise<void>[] = [];
  let maxSendLagMs = 0;
  let lastAnswer = 0;
  const start = performance.now();
  const send = (index: number, now: number) => {
    const due = start + dueOffsetMs(rate, index);
    maxSendLagMs = Math.max(maxSendLagMs, now - due);
    const operation = pickOperation(mix, Math.random());
    const transport = pickTransport(Math.random());
    pending.push(
      call(operation, transport).then(({ outcome, detail }) => {
        lastAnswer = performance.now();
        samples.push({ operation, transport, latencyMs: lastAnswer - due, outcome });
        if (detail !== undefined) {
          const kept = details.get(operation) ?? [];
          const line = `${transport}: ${detail}`;
          if (kept.length < DETAILS_KEPT && !kept.includes(line)) kept.push(line);
          details.set(operation, kept);
        }
      }),
    );
  };
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    const due = dueCount(rate, now - start, total);
    while (sent < due) send(sent++, now);
    if (sent < total) {
      // Sleep until the next request is due (timers are ~1 ms coarse; a late wake-up sends a small batch).
      const wait = start + dueOffsetMs(rate, sent) - performance.now();
      await sleep(Math.max(0, Math.floor(wait)));
    }
  }
  await Promise.all(pending);
  return {
    rate,
    durationMs,
    samples,
    completedPerSec: samples.length / ((lastAnswer - start) / 1000),
    maxSendLagMs,
    details,
  };
}
