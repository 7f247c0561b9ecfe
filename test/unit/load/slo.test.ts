import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../bench/load/mix.ts';
import { grpcOutcome, httpOutcome, type Outcome, type Sample, sloVerdict } from '../../../bench/load/slo.ts';

const sample = (operation: Operation, latencyMs: number, outcome: Outcome = 'ok'): Sample => ({
  operation,
  transport: 'rest',
  latencyMs,
  outcome,
});

/** `n` requests of one operation at latencies 1..n ms (p95 = 0.95 n, p99 = 0.99 n). */
const ramp = (operation: Operation, n: number, scale = 1): Sample[] =>
  Array.from({ length: n }, (_, i) => sample(operation, (i + 1) * scale));

describe('sloVerdict', () => {
  it('holds when every percentile is within its limit and enough requests succeeded', () => {
    const verdict = sloVerdict([...ramp('GetListing', 1000, 0.4), ...ramp('SearchListings', 100, 5)]);
    expect(verdict.breaches).toEqual([]);
    expect(verdict.held).toBe(true);
    expect(verdict.overall.count).toBe(1100);
    expect(verdict.byOperation.get('GetListing')?.p95Ms).toBe(380);
    expect(verdict.byOperation.get('SearchListings')?.p99Ms).toBe(495);
  });

  it("breaks on an operation's own limit even when the overall one holds (GetListing p95 500 ms)", () => {
    // p95 of 1..1000 x 0.6 ms = 570 ms: within the overall 1 s, over GetListing's 500 ms; p99 594 < 1 s.
    const verdict = sloVerdict(ramp('GetListing', 1000, 0.6));
    expect(verdict.held).toBe(false);
    expect(verdict.breaches).toEqual(['GetListing p95 570 ms >= 500 ms']);
  });

  it('breaks on the overall p99 and on each operation over its own', () => {
    const slow = ramp('SearchListings', 100, 25); // p95 2375, p99 2475 ms
    const verdict = sloVerdict(slow);
    expect(verdict.breaches).toEqual([
      'all requests p95 2375 ms >= 1000 ms',
      'all requests p99 2475 ms >= 2000 ms',
      'SearchListings p95 2375 ms >= 1000 ms',
      'SearchListings p99 2475 ms >= 2000 ms',
    ]);
  });

  it('treats a limit as strict: a p95 exactly at ListListings 800 ms breaks', () => {
    const verdict = sloVerdict(Array.from({ length: 100 }, (_, i) => sample('ListListings', i < 94 ? 10 : 800)));
    expect(verdict.breaches).toEqual(['ListListings p95 800 ms >= 800 ms']);
  });

  it('breaks below 99.9 % success and holds at it; client errors count as successes', () => {
    const fast = ramp('GetListing', 2000, 0.1);
    const twoFailed = fast.map((s, i) => (i < 2 ? { ...s, outcome: 'failure' as const } : s));
    expect(sloVerdict(twoFailed).held).toBe(true);
    const threeFailed = fast.map((s, i) => (i < 3 ? { ...s, outcome: 'failure' as const } : s));
    expect(sloVerdict(threeFailed).breaches).toEqual(['success 99.85 % < 99.9 % (3 of 2000 failed)']);
    const notFound = fast.map((s, i) => (i < 100 ? { ...s, outcome: 'client-error' as const } : s));
    const verdict = sloVerdict(notFound);
    expect(verdict.held).toBe(true);
    expect(verdict.overall.clientErrors).toBe(100);
  });

  it('counts failed requests at their latency, so timeouts push the percentiles up', () => {
    const timeouts = ramp('UpdateListing', 100, 1).map((s, i) =>
      i >= 98 ? { ...s, latencyMs: 10_000, outcome: 'failure' as const } : s,
    );
    const verdict = sloVerdict(timeouts);
    expect(verdict.byOperation.get('UpdateListing')?.p99Ms).toBe(10_000);
    expect(verdict.breaches).toContain('UpdateListing p99 10000 ms >= 2000 ms');
  });

  it('does not hold for a step that sent nothing', () => {
    expect(sloVerdict([]).breaches).toEqual(['no request was sent']);
  });
});

describe('outcomes', () => {
  it('HTTP: 2xx, 3xx and 4xx other than 429 succeed; 429 and 5xx fail', () => {
    expect([200, 201, 304, 400, 404, 409, 412, 429, 500, 503].map(httpOutcome)).toEqual([
      'ok',
      'ok',
      'ok',
      'client-error',
      'client-error',
      'client-error',
      'client-error',
      'failure',
      'failure',
      'failure',
    ]);
  });

  it("gRPC: the caller's mistakes succeed; RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, UNAVAILABLE, INTERNAL fail", () => {
    // OK, INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION, UNAUTHENTICATED
    expect([0, 3, 5, 7, 9, 16].map(grpcOutcome)).toEqual([
      'ok',
      'client-error',
      'client-error',
      'client-error',
      'client-error',
      'client-error',
    ]);
    // CANCELLED, UNKNOWN, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS
    expect([1, 2, 4, 8, 12, 13, 14, 15].every((code) => grpcOutcome(code) === 'failure')).toBe(true);
  });
});
