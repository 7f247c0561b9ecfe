import { percentile } from '../support/load.ts';
import { OPERATIONS, type Operation, type Transport } from './mix.ts';

/**
 * The SLO of ops-scripts.md §4.2, which `listings` takes as its contract: P95 < 1 s and P99 < 2 s over all
 * requests, 99.9 % success, and per endpoint GetListing 500 ms / 1 s, ListListings 800 ms / 1.5 s, Create, Update
 * and Search 1 s / 2 s. Success is 2xx, 3xx and 4xx other than 429; failures are 5xx, 429, timeouts and
 * connection errors (gRPC: the codes the service maps from those, see {@link grpcOutcome}).
 */
export interface LatencyObjective {
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export interface Slo {
  readonly overall: LatencyObjective;
  readonly perOperation: Readonly<Record<Operation, LatencyObjective>>;
  /** Minimum share of successful requests, over all operations. */
  readonly successRatio: number;
}

export const SLO: Slo = {
  overall: { p95Ms: 1_000, p99Ms: 2_000 },
  perOperation: {
    GetListing: { p95Ms: 500, p99Ms: 1_000 },
    ListListings: { p95Ms: 800, p99Ms: 1_500 },
    SearchListings: { p95Ms: 1_000, p99Ms: 2_000 },
    CreateListing: { p95Ms: 1_000, p99Ms: 2_000 },
    UpdateListing: { p95Ms: 1_000, p99Ms: 2_000 },
  },
  successRatio: 0.999,
};

/** `client-error`: a 4xx other than 429 (or its gRPC equivalent), which the SLO counts as a success. */
export type Outcome = 'ok' | 'client-error' | 'failure';

export interface Sample {
  readonly operation: Operation;
  readonly transport: Transport;
  /** From the time the request was due (not sent) to its answer, timeout or error. */
  readonly latencyMs: number;
  readonly outcome: Outcome;
}

export function httpOutcome(status: number): Outcome {
  if (status === 429 || status >= 500) return 'failure';
  if (status >= 400) return 'client-error';
  return 'ok';
}

/**
 * gRPC codes the service answers for a caller's mistake (its 4xx: invalid, not found, conflict, forbidden,
 * unauthenticated). Everything else that is not OK is a failure: UNKNOWN, INTERNAL, UNAVAILABLE, DATA_LOSS and
 * UNIMPLEMENTED (its 5xx), DEADLINE_EXCEEDED (a timeout), RESOURCE_EXHAUSTED (its 429) and CANCELLED.
 */
const GRPC_CLIENT_ERRORS: ReadonlySet<number> = new Set([3, 5, 6, 7, 9, 10, 11, 16]);

export function grpcOutcome(code: number): Outcome {
  if (code === 0) return 'ok';
  return GRPC_CLIENT_ERRORS.has(code) ? 'client-error' : 'failure';
}

export interface LatencyStats {
  readonly count: number;
  readonly failures: number;
  readonly clientErrors: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Percentiles over every request answered or failed (a timeout counts at the time it gave up), and the counts. */
export function latencyStats(samples: readonly Sample[]): LatencyStats {
  const sorted = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  return {
    count: samples.length,
    failures: samples.filter((s) => s.outcome === 'failure').length,
    clientErrors: samples.filter((s) => s.outcome === 'client-error').length,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

export interface Verdict {
  readonly held: boolean;
  readonly overall: LatencyStats;
  /** Operations that were sent at least once. */
  readonly byOperation: ReadonlyMap<Operation, LatencyStats>;
  /** Every objective missed, in words (`GetListing p95 612 ms >= 500 ms`); empty when the SLO held. */
  readonly breaches: readonly string[];
}

/** Whether one step's requests met the SLO. A step that sent nothing did not hold. */
export function sloVerdict(samples: readonly Sample[], slo: Slo = SLO): Verdict {
  const overall = latencyStats(samples);
  const byOperation = new Map<Operation, LatencyStats>();
  for (const operation of OPERATIONS) {
    const own = samples.filter((s) => s.operation === operation);
    if (own.length > 0) byOperation.set(operation, latencyStats(own));
  }
  const breaches: string[] = [];
  if (samples.length === 0) breaches.push('no request was sent');
  else {
    const success = 1 - overall.failures / overall.count;
    if (success < slo.successRatio) {
      breaches.push(
        `success ${(success * 100).toFixed(2)} % < ${(slo.successRatio * 100).toFixed(1)} % ` +
          `(${overall.failures} of ${overall.count} failed)`,
      );
    }
    breaches.push(...latencyBreaches('all requests', overall, slo.overall));
    for (const [operation, stats] of byOperation) {
      breaches.push(...latencyBreaches(operation, stats, slo.perOperation[operation]));
    }
  }
  return { held: breaches.length === 0, overall, byOperation, breaches };
}

function latencyBreaches(what: string, stats: LatencyStats, objective: LatencyObjective): string[] {
  const breaches: string[] = [];
  if (!(stats.p95Ms < objective.p95Ms)) {
    breaches.push(`${what} p95 ${stats.p95Ms.toFixed(0)} ms >= ${objective.p95Ms} ms`);
  }
  if (!(stats.p99Ms < objective.p99Ms)) {
    breaches.push(`${what} p99 ${stats.p99Ms.toFixed(0)} ms >= ${objective.p99Ms} ms`);
  }
  return breaches;
}
