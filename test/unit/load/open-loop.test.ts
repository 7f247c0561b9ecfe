import { describe, expect, it } from 'vitest';
import type { Operation, Transport } from '../../../bench/load/mix.ts';
import { runStep } from '../../../bench/load/open-loop.ts';
import type { CallResult } from '../../../bench/load/workload.ts';

describe('runStep', () => {
  it('keeps sending on schedule while no request has been answered (an open loop, not a closed one)', async () => {
    // 400/s for 50 ms = 20 requests. None is answered until all 20 were sent: a closed loop would wait forever.
    const sent: { operation: Operation; transport: Transport }[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const call = async (operation: Operation, transport: Transport): Promise<CallResult> => {
      sent.push({ operation, transport });
      if (sent.length === 20) release();
      await gate;
      return sent.length % 2 === 0 ? { outcome: 'ok' } : { outcome: 'failure', detail: 'HTTP 503' };
    };
    const run = await runStep(call, 400, 50);
    expect(sent).toHaveLength(20);
    expect(run.samples).toHaveLength(20);
    expect(run.samples.every((s) => s.latencyMs >= 0)).toBe(true);
  });

  it('measures from the due time, so a request sent late (behind a stalled sender) counts its wait', async () => {
    // 200/s: requests due at 0, 5, 10 ... 45 ms. The first call stalls this event loop for 30 ms, so requests 1-5
    // go out together at >= 30 ms; all are answered together once the last was sent. Measured from the send,
    // requests 1 and 5 would show the same latency; measured from the due time, request 1 waited 20 ms longer.
    let calls = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const call = async (): Promise<CallResult> => {
      calls += 1;
      if (calls === 1) {
        const until = performance.now() + 30;
        while (performance.now() < until) {}
      }
      if (calls === 10) release();
      await gate;
      return { outcome: 'ok' };
    };
    const run = await runStep(call, 200, 50);
    const latencies = run.samples.map((s) => s.latencyMs);
    expect(latencies).toHaveLength(10);
    expect((latencies[1] as number) - (latencies[5] as number)).toBeGreaterThan(15);
    expect(run.maxSendLagMs).toBeGreaterThanOrEqual(25);
  });

  it('records each request under the operation and transport it drew, and keeps failure details', async () => {
    const run = await runStep(
      async (operation) =>
        operation === 'GetListing' ? { outcome: 'failure', detail: 'HTTP 500' } : { outcome: 'ok' },
      200,
      100,
      [{ operation: 'GetListing', percent: 100 }],
    );
    expect(run.samples).toHaveLength(20);
    expect(run.samples.every((s) => s.operation === 'GetListing' && s.outcome === 'failure')).toBe(true);
    expect(run.details.get('GetListing')?.every((d) => d.endsWith('HTTP 500'))).toBe(true);
  });
});
