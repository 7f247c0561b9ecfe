import type { IndexOperation, OutboxStats } from '../../ports/index-outbox.ts';

/**
 * What the indexing worker reports for monitoring. The composition root maps it to Prometheus
 * (`listings_indexing_*`, `listings_errors_total{component="worker"}`); tests record it. Implementations must be cheap
 * and must never throw: monitoring cannot stop indexing. No method takes a listing id (unbounded label).
 */
export interface IndexWorkerObserver {
  /** One job settled. `lagSeconds` (completed only): from its enqueue (database clock) to now, ≥ 0. */
  jobSettled(event: JobSettled): void;
  /** One claimed batch went from claim to every job settled (`listings_indexing_job_duration_seconds`). */
  batchProcessed(event: { readonly jobs: number; readonly seconds: number }): void;
  /** One call to the search index (`listings_indexing_batches_total{outcome}`). */
  bulkSent(event: BulkSent): void;
  /** Queue depth, read from the outbox every `statsIntervalMs` while the worker runs. */
  queueStats(stats: OutboxStats): void;
  /** A failure that reached no caller (`listings_errors_total{component="worker", error_type}`). */
  error(errorType: WorkerErrorType): void;
  /** The search engine looked down (every item of a call retryable): claims stop until a probe succeeds. */
  engineAvailability(available: boolean): void;
}

/**
 * - `completed`: the index holds this version or a newer one (`ok` or `stale`).
 * - `retry`: failed, due again at its retry time. `dead`: failed on its last attempt (a dead letter).
 * - `lease_lost`: another worker took the job over after the lease ran out; nothing was recorded.
 */
export type JobOutcome = 'completed' | 'retry' | 'dead' | 'lease_lost';

export interface JobSettled {
  readonly operation: IndexOperation;
  readonly outcome: JobOutcome;
  /** Why it failed: `retryable` (engine busy or unreachable) or `permanent` (the index refused the document). */
  readonly failure?: 'retryable' | 'permanent';
  readonly lagSeconds?: number;
}

/**
 * `ok`: every item ok or stale. `partial`: some items failed. `failed`: every item failed.
 * `error`: the call rejected or timed out (every item is retried).
 */
export type BulkOutcome = 'ok' | 'partial' | 'failed' | 'error';

export interface BulkSent {
  readonly kind: 'upsert' | 'remove';
  readonly items: number;
  readonly bytes: number;
  readonly outcome: BulkOutcome;
  readonly seconds: number;
}

/**
 * - `fetch_jobs_failed`: a claim failed (the original's only two types were this and `job_failed`).
 * - `job_failed`: a job failed an attempt. `job_dead`: a job became a dead letter.
 * - `load_failed`: reading the batch's rows failed. `bulk_failed`: a search index call rejected or timed out.
 * - `settle_failed`: complete/fail could not be recorded (the lease runs out and another claim retries it).
 * - `stats_failed`: the periodic queue statistics could not be read. `probe_failed`: the engine is still down.
 */
export type WorkerErrorType =
  | 'fetch_jobs_failed'
  | 'job_failed'
  | 'job_dead'
  | 'load_failed'
  | 'bulk_failed'
  | 'settle_failed'
  | 'stats_failed'
  | 'probe_failed';

/** For tests and commands that export no metrics. */
export const NO_WORKER_OBSERVER: IndexWorkerObserver = {
  jobSettled() {},
  batchProcessed() {},
  bulkSent() {},
  queueStats() {},
  error() {},
  engineAvailability() {},
};
