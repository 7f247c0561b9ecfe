/**
 * The search-indexing outbox (`indexing_queue`): every write that changes what the index shows enqueues its
 * listing in the same transaction (flaw #10), and indexing workers drain it with leases, retries and dead letters
 * (flaw #11). Reindex and validate use it too: reindex replays what was enqueued after its snapshot, validate's
 * `--fix` re-enqueues drifted listings.
 *
 * Guarantees an adapter must keep:
 * - {@link enqueue} called on a `TransactionScope` outbox commits or rolls back with the write.
 * - Coalescing: at most one pending entry per listing. Enqueuing a listing that already has one overwrites its
 *   operation and keeps the higher version; bursts of writes make one job.
 * - Entries survive a hard delete of their listing (no cascade), so the index learns about the delete.
 * - A claimed job is leased to one worker until `leaseMs` passes; after that, another claim may take it over
 *   (a crashed worker's jobs are not stuck). Completing or failing a job whose lease the worker lost changes
 *   nothing and says so.
 * - A failed job is retried at `retryAt` while attempts remain (`max_retries`, default 3); the last failure, or a
 *   `permanent` one, makes it a dead letter, kept until requeued or purged, never deleted silently.
 * - Settling a batch costs O(1) statements: {@link completeMany} and {@link failMany} take any number of jobs.
 * - Jobs of one listing are not processed concurrently by two workers' claims (a pending entry is not claimed
 *   while another entry of the same listing is leased); documents carry the listing version as external version,
 *   so an older snapshot can never overwrite a newer one anyway.
 * - Times are the database's clock.
 */
export interface IndexOutbox {
  /** Adds or coalesces one entry per listing (the last entry for a listing in `entries` wins). */
  enqueue(entries: readonly OutboxEntry[]): Promise<void>;

  /**
   * Leases up to `limit` due jobs (pending, or failed with `available_at ≤ now`, or processing with an expired
   * lease), oldest first (enqueue order; a coalesced entry keeps its place), using `FOR UPDATE SKIP LOCKED`; each
   * claim counts as an attempt. Runs in its own transaction, in time independent of the queue's depth. Empty when
   * nothing is due.
   */
  claim(request: ClaimRequest): Promise<ClaimedJob[]>;

  /** Marks a job done (`completed`, `processed_at`). False when the lease was lost. Same as {@link completeMany}. */
  complete(job: ClaimedJob): Promise<boolean>;

  /**
   * Marks jobs done in one statement, whatever their number (a worker settles a whole bulk at once). Returns one
   * flag per job, in input order: false when that job's lease was lost (nothing changed for it).
   */
  completeMany(jobs: readonly ClaimedJob[]): Promise<readonly boolean[]>;

  /** Records one failed attempt. Same as {@link failMany}. */
  fail(job: ClaimedJob, failure: JobFailure): Promise<FailOutcome>;

  /**
   * Records failed attempts in one statement, whatever their number. Each job goes back to `failed` with
   * `available_at = retryAt` while attempts remain and the failure is not `permanent`; otherwise it becomes `dead`
   * at once (a document the index refuses will be refused again: retrying only delays the dead letter and burns
   * claims). `error` is stored truncated to 2000 characters. Returns one outcome per job, in input order.
   */
  failMany(failures: readonly JobFailureOf[]): Promise<readonly FailOutcome[]>;

  /** Dead letters, oldest first, after `afterId` (keyset), at most `limit`. */
  deadLetters(options: { readonly limit: number; readonly afterId?: number }): Promise<DeadLetter[]>;

  /** Makes dead letters (all, or these ids) pending again with fresh attempts. Returns how many. */
  requeueDead(ids?: readonly number[]): Promise<number>;

  /** Deletes completed jobs processed before `olderThan`, at most `limit` (default 10 000). Returns how many. */
  purgeCompleted(olderThan: Date, limit?: number): Promise<number>;

  /** Queue depth by state and the age of the oldest due job (for metrics, health and reindex). */
  stats(): Promise<OutboxStats>;

  /** A position in the queue's history: entries enqueued or coalesced after it are "changes since". */
  mark(): Promise<OutboxMark>;

  /**
   * Entries enqueued or coalesced after `since`, in that order, at most `limit`, whatever their state (reindex
   * replays them into a new index). Returns the position after the last entry returned.
   */
  changesSince(
    since: OutboxMark,
    limit: number,
  ): Promise<{ readonly entries: readonly OutboxEntry[]; readonly next: OutboxMark }>;

  /**
   * A barrier in the change feed: {@link changesSince} shows an entry only once every transaction older than it has
   * ended (so it never skips a running writer), which a long transaction anywhere on the server can delay. Once
   * {@link passed} says true for a barrier, every entry committed before the barrier was taken is visible, and a
   * replay read up to the feed's end has seen them all (reindex waits for this before and after its swap).
   */
  barrier(): Promise<OutboxMark>;

  /** Whether every entry committed before `barrier` was taken is visible to {@link changesSince} now. */
  passed(barrier: OutboxMark): Promise<boolean>;
}

/**
 * The original's operations (CHECK ∈ index, update, delete). The worker decides from the row it loads (a missing,
 * deleted or unsearchable row is removed from the index), so the operation is a hint for logs and metrics.
 */
export type IndexOperation = 'index' | 'update' | 'delete';

export interface OutboxEntry {
  readonly listingId: number;
  /** `listings.version` after the write (for a hard delete, the last version, plus one). */
  readonly version: number;
  readonly operation: IndexOperation;
}

export interface ClaimRequest {
  /** Names the worker in `locked_by` (host:pid:loop). */
  readonly workerId: string;
  /** 1..1000; the original claimed 10, the worker claims 500 (fewer round trips per document under load). */
  readonly limit: number;
  /** Lease length in milliseconds; the original's batch deadline was 30 000. */
  readonly leaseMs: number;
}

export interface ClaimedJob extends OutboxEntry {
  readonly id: number;
  /** 1 on the first claim. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly enqueuedAt: Date;
  readonly workerId: string;
  /** When the lease was taken; identifies the lease in {@link IndexOutbox.complete} / {@link IndexOutbox.fail}. */
  readonly lockedAt: Date;
}

export interface JobFailure {
  /** Why, for the dead-letter list (`listings queue status`). */
  readonly error: string;
  /** When the job is due again (ignored when it becomes dead). */
  readonly retryAt: Date;
  /** True: retrying cannot help (the index refused the document); the job becomes a dead letter now. Default false. */
  readonly permanent?: boolean;
}

export interface JobFailureOf extends JobFailure {
  readonly job: ClaimedJob;
}

export type FailOutcome = 'retry' | 'dead' | 'lease_lost';

export interface DeadLetter extends OutboxEntry {
  readonly id: number;
  readonly attempts: number;
  readonly error: string | null;
  readonly enqueuedAt: Date;
  readonly failedAt: Date;
}

export interface OutboxStats {
  readonly pending: number;
  readonly processing: number;
  /** Failed, waiting for a retry. */
  readonly failed: number;
  readonly dead: number;
  /** Milliseconds since the oldest due (pending or retry-due) job was enqueued; null when none is due. */
  readonly oldestDueAgeMs: number | null;
}

/** Opaque to the core; adapters encode whatever orders their history (a sequence, a timestamp and id). */
export type OutboxMark = string;
