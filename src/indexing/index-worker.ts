/**
 * The indexing worker: keeps the search index in step with PostgreSQL by draining the index outbox.
 *
 * `concurrency` independent loops each claim up to `batchSize` due jobs under a lease, process them as one batch
 * (index-batch.ts) and claim again at once until a claim finds nothing due. Then one idle loop (the watcher) claims
 * every `pollIntervalMs / concurrency` and the others wait until it finds work, which wakes them all.
 * A crashed worker loses nothing: its leases run out and another claim takes the jobs over. Failures retry with
 * exponential backoff and jitter until the job's attempts are used up (a refused document at once), then stay as
 * dead letters (`listings queue retry-dead`).
 *
 * Differences from the original (flaw #11): retries with backoff, leases instead of stuck `processing` rows,
 * batches of 500 sent as bulk requests bounded by bytes, per-item results, and no claiming while the engine is down.
 */
import type { ClaimedJob, OutboxStats } from '../../ports/index-outbox.ts';
import { type BackoffPolicy, DEFAULT_BACKOFF } from '../domain/retry-backoff.ts';
import { type BulkLimits, DEFAULT_BULK_LIMITS } from './bulk-chunks.ts';
import { type BreakerPolicy, DEFAULT_BREAKER_POLICY, EngineBreaker } from './engine-breaker.ts';
import {
  type BatchReport,
  finishBatch,
  type IndexBatchDeps,
  type IndexBatchSettings,
  type PreparedBatch,
  prepareBatch,
  processBatch,
} from './index-batch.ts';

export interface IndexWorkerDeps extends IndexBatchDeps {
  /** The `locked_by` of a loop's claims; the worker adapter gives `host:pid:loop`. */
  readonly workerId: (loop: number) => string;
}

export interface IndexWorkerOptions {
  /** Independent claim loops (`WORKER_CONCURRENCY`). Default 5. */
  readonly concurrency?: number;
  /**
   * Jobs per claim, 1..1000. Default 500 (the original claimed 10): each claim, row read and settle is a database
   * round trip whatever its size, and on a busy database those, not the bulk request, bounded the worker at 100.
   */
  readonly batchSize?: number;
  /** Lease per claim, milliseconds. Default 30 000 (the original's batch deadline). */
  readonly leaseMs?: number;
  /**
   * How often an idle worker claims, milliseconds. Default 2 000. While no job is due, one loop (the watcher) claims
   * every `pollIntervalMs / concurrency` and the others wait until it finds work: the same claims per second as
   * every loop claiming every `pollIntervalMs`, but work is noticed `concurrency` times sooner.
   */
  readonly pollIntervalMs?: number;
  /** How often queue statistics are read for the observer, milliseconds. Default 5 000. */
  readonly statsIntervalMs?: number;
  /** Deadline of one search index call, milliseconds. Default half the lease. */
  readonly requestTimeoutMs?: number;
  readonly bulk?: Partial<BulkLimits>;
  readonly backoff?: BackoffPolicy;
  readonly breaker?: BreakerPolicy;
}

export interface DrainReport {
  readonly batches: number;
  readonly completed: number;
  readonly retried: number;
  readonly dead: number;
  readonly leaseLost: number;
}

/**
 * How long a nudged watcher waits before it claims, so the commits of a busy moment share one claim and one bulk
 * request: without it a steady trickle of writes would be indexed one claim per write, each claim and each request
 * paying its fixed cost for a single document.
 */
const NUDGE_COALESCE_MS = 20;

/** Wait after a failed claim grows to this (the database is probably down). */
const MAX_CLAIM_ERROR_WAIT_MS = 30_000;

export type IndexWorkerState = 'idle' | 'running' | 'paused' | 'stopping' | 'stopped';

export class IndexWorker {
  readonly #deps: IndexWorkerDeps;
  readonly #concurrency: number;
  readonly #batchSize: number;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #statsMs: number;
  readonly #settings: IndexBatchSettings;
  readonly #breaker: EngineBreaker;
  readonly #wakers = new Set<() => void>();
  /** Loops waiting after an empty claim for the watcher to find work. */
  readonly #idleWakers = new Set<() => void>();
  /** The idle loop that keeps claiming while the others wait; null while none is idle. */
  #watcher: number | null = null;
  /** The watcher's sleep between idle claims, cut short by {@link nudge}. */
  readonly #watcherWakers = new Set<() => void>();
  /** A nudge came while the watcher was claiming: its claim may have missed the new work, so it claims again. */
  #nudged = false;
  /** The watcher's wake-up after a nudge, pending: later nudges join it. */
  #nudgeTimer: ReturnType<typeof setTimeout> | undefined;
  #state: IndexWorkerState = 'idle';
  #loops: Promise<void>[] = [];
  #busy = 0;
  #idleWaiters: (() => void)[] = [];
  #statsTimer: ReturnType<typeof setInterval> | undefined;

  constructor(deps: IndexWorkerDeps, options: IndexWorkerOptions = {}) {
    this.#deps = deps;
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 5));
    this.#batchSize = Math.max(1, Math.min(1000, Math.floor(options.batchSize ?? 500)));
    this.#leaseMs = Math.max(1_000, options.leaseMs ?? 30_000);
    this.#pollMs = Math.max(1, options.pollIntervalMs ?? 2_000);
    this.#statsMs = Math.max(100, options.statsIntervalMs ?? 5_000);
    this.#settings = {
      bulk: { ...DEFAULT_BULK_LIMITS, ...options.bulk },
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      requestTimeoutMs: options.requestTimeoutMs ?? Math.floor(this.#leaseMs / 2),
    };
    this.#breaker = new EngineBreaker({
      clock: deps.clock,
      probe: () => deps.searchIndex.count(),
      policy: options.breaker ?? DEFAULT_BREAKER_POLICY,
      observer: deps.observer,
      logger: deps.logger,
    });
  }

  get state(): IndexWorkerState {
    return this.#state;
  }

  /** Starts the loops and the statistics timer. Calling it again while running does nothing. */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'running';
    this.#deps.logger.info(
      { concurrency: this.#concurrency, batch_size: this.#batchSize, lease_ms: this.#leaseMs },
      'indexing worker started',
    );
    void this.refreshStats();
    // Not unref'd: a running worker keeps its process alive until stopped (the `worker` command has no server).
    this.#statsTimer = setInterval(() => void this.refreshStats(), this.#statsMs);
    this.#loops = Array.from({ length: this.#concurrency }, (_, loop) => this.#loop(loop));
  }

  /**
   * Work was just committed (by this process): an idle worker claims within {@link NUDGE_COALESCE_MS} instead of at
   * its next poll. Does nothing while the loops are busy (they claim again as soon as a batch is done) or when not
   * running.
   */
  nudge(): void {
    if (this.#state !== 'running' || this.#watcher === null) return;
    if (this.#watcherWakers.size === 0) {
      this.#nudged = true;
      return;
    }
    this.#nudgeTimer ??= setTimeout(() => {
      this.#nudgeTimer = undefined;
      for (const wake of [...this.#watcherWakers]) wake();
    }, NUDGE_COALESCE_MS);
  }

  /** Stops claiming; resolves when every batch in flight has settled. */
  async pause(): Promise<void> {
    if (this.#state === 'running') this.#state = 'paused';
    await this.#idle();
  }

  resume(): void {
    if (this.#state !== 'paused') return;
    this.#state = 'running';
    this.#wakeAll();
  }

  /** Finishes the batches in flight (their jobs are completed or failed, never abandoned) and returns. */
  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    clearInterval(this.#statsTimer);
    clearTimeout(this.#nudgeTimer);
    this.#wakeAll();
    await Promise.all(this.#loops);
    this.#state = 'stopped';
    this.#deps.logger.info({}, 'indexing worker stopped');
  }

  /**
   * One-shot, in the caller: claims and processes batches one after another until no job is due (jobs waiting for
   * a retry time are not due). For tests and the CLI; independent of the loops and of the breaker.
   */
  async drain(options: {
    readonly until: 'empty';
    readonly workerId?: string;
    readonly maxBatches?: number;
  }): Promise<DrainReport> {
    const workerId = options.workerId ?? this.#deps.workerId(-1);
    const total = { batches: 0, completed: 0, retried: 0, dead: 0, leaseLost: 0 };
    while (total.batches < (options.maxBatches ?? Number.POSITIVE_INFINITY)) {
      const report = await this.runBatch(workerId);
      if (report.claimed === 0) break;
      total.batches += 1;
      total.completed += report.completed;
      total.retried += report.retried;
      total.dead += report.dead;
      total.leaseLost += report.leaseLost;
    }
    return total;
  }

  /** Claims one batch under `workerId` and processes it. Claim errors reject. */
  async runBatch(workerId: string): Promise<BatchReport> {
    const jobs: ClaimedJob[] = await this.#deps.outbox.claim({
      workerId,
      limit: this.#batchSize,
      leaseMs: this.#leaseMs,
    });
    if (jobs.length === 0) {
      return { claimed: 0, completed: 0, retried: 0, dead: 0, leaseLost: 0, unsettled: 0, engineDown: false };
    }
    const report = await processBatch(this.#deps, this.#settings, jobs);
    this.#afterBatch(report);
    return report;
  }

  /** Reads the queue's statistics once and reports them (also run every `statsIntervalMs` while started). */
  async refreshStats(): Promise<OutboxStats | null> {
    try {
      const stats = await this.#deps.outbox.stats();
      this.#deps.observer.queueStats(stats);
      return stats;
    } catch (error) {
      this.#deps.observer.error('stats_failed');
      this.#deps.logger.warn({ err: error }, 'indexing: reading queue statistics failed');
      return null;
    }
  }

  /**
   * One claim loop, pipelined: while a batch's bulk request is in flight, the next batch is claimed and its rows
   * read, so each loop keeps one request in flight at the engine nearly all the time instead of leaving it idle
   * during the database work (which took as long as the bulk request itself). A batch claimed ahead is counted as
   * in flight: pause and stop wait for it, and it is sent once the breaker lets claims go on.
   */
  async #loop(loop: number): Promise<void> {
    const workerId = this.#deps.workerId(loop);
    let claimErrors = 0;
    let ahead: Promise<PreparedBatch | Error> | undefined;
    for (;;) {
      if (ahead === undefined) {
        if (this.#state !== 'running' && this.#state !== 'paused') return;
        if (this.#state === 'paused') {
          await this.#sleep(Number.POSITIVE_INFINITY);
          continue;
        }
      }
      if ((ahead === undefined || this.#state === 'running') && !(await this.#breaker.ready())) {
        await this.#sleep(Math.min(this.#pollMs, Math.max(1, this.#breaker.msUntilProbe())));
        continue;
      }
      let current = ahead;
      ahead = undefined;
      if (current === undefined) {
        this.#busy += 1;
        current = this.#claimAndPrepare(workerId, loop);
      }
      let waitMs = 0;
      let idle = false;
      try {
        const batch = await current;
        if (batch instanceof Error) {
          claimErrors += 1;
          this.#deps.observer.error('fetch_jobs_failed');
          this.#deps.logger.warn({ err: batch, worker_id: workerId }, 'indexing: claiming jobs failed');
          waitMs = Math.min(MAX_CLAIM_ERROR_WAIT_MS, this.#pollMs * 2 ** Math.min(claimErrors - 1, 10));
        } else if (batch.jobs.length === 0) {
          // Only an empty claim waits: after a partial batch more writes have usually arrived (a trickle of writes
          // would otherwise wait a poll interval each, which is most of the commit-to-searchable lag).
          claimErrors = 0;
          idle = true;
        } else {
          claimErrors = 0;
          const sending = finishBatch(this.#deps, this.#settings, batch);
          if (this.#state === 'running') {
            this.#busy += 1;
            ahead = this.#claimAndPrepare(workerId, loop);
          }
          this.#afterBatch(await sending);
        }
      } finally {
        this.#busy -= 1;
        if (this.#busy === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
      }
      if (idle) await this.#idleWait(loop);
      else if (waitMs > 0) await this.#sleep(waitMs);
    }
  }

  /**
   * After an empty claim: the first idle loop becomes the watcher and claims again every `pollMs / concurrency`;
   * the others wait until the watcher's claim finds work (or stop, pause or resume wakes every loop).
   */
  #idleWait(loop: number): Promise<void> {
    // A claim made ahead can come back after pause or stop was asked (and their wake-up was given): the top of the
    // loop handles those; waiting here for work could last forever.
    if (this.#state !== 'running') return Promise.resolve();
    if (this.#watcher === null) this.#watcher = loop;
    if (this.#watcher === loop) {
      if (this.#nudged) {
        this.#nudged = false;
        return Promise.resolve();
      }
      return this.#sleep(this.#pollMs / this.#concurrency, this.#watcherWakers);
    }
    return this.#sleep(Number.POSITIVE_INFINITY, this.#idleWakers);
  }

  /**
   * Claims a batch and reads its rows; an error (the claim failed) is returned, never thrown. The watcher's claim
   * that finds work wakes the idle loops at once (there may be more), before reading its own rows.
   */
  async #claimAndPrepare(workerId: string, loop: number): Promise<PreparedBatch | Error> {
    let jobs: ClaimedJob[];
    try {
      jobs = await this.#deps.outbox.claim({ workerId, limit: this.#batchSize, leaseMs: this.#leaseMs });
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    if (jobs.length > 0 && this.#watcher === loop) {
      this.#watcher = null;
      this.#nudged = false;
      for (const wake of [...this.#idleWakers]) wake();
    }
    return prepareBatch(this.#deps, jobs);
  }

  #afterBatch(report: BatchReport): void {
    if (report.engineDown) this.#breaker.trip();
    else if (report.completed > 0) this.#breaker.succeeded();
  }

  #idle(): Promise<void> {
    if (this.#busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Waits `ms`, or less when stop or resume wakes the loops (or, when given, a wake of `also`). */
  #sleep(ms: number, also?: Set<() => void>): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        also?.delete(wake);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(wake, ms) : undefined;
      this.#wakers.add(wake);
      also?.add(wake);
    });
  }

  #wakeAll(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}
