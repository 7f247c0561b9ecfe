/**
 * `listings reindex`: rebuilds the search index with zero downtime (ops-scripts.md §1.7), over ports only.
 *
 * 1. A new physical index beside the serving one (no replicas, refresh off while it loads).
 * 2. The outbox mark, then the bulk copy of every searchable listing (copy-listings.ts). The serving index keeps
 *    serving, and the worker keeps writing to it; what changes meanwhile is in the change feed after the mark.
 * 3. The replay of the feed into the new index (replay-changes.ts), then verification (verify-rebuild.ts), which
 *    replays again until the counts agree with PostgreSQL and a random sample of documents equals the rows.
 * 4. The swap: one atomic alias (or table) swap moves reads and writes; `keep` old indices stay for rollback.
 * 5. A last replay through the serving index, for changes the worker wrote to the old index between the last replay
 *    and the swap.
 *
 * Whatever stops it before the swap leaves the serving index as it was. A failed verification or SIGINT drops the new
 * index; an error (engine or database unreachable) keeps it with its checkpoint for `resume`, and a kill leaves it
 * too (rebuild-checkpoint.ts); a run without `resume` drops such leftovers. Runs are one at a time: the driving
 * adapter holds the lock.
 */
import type { IndexOutbox } from '../../ports/index-outbox.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { Logger } from '../../ports/logger.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import type { SearchIndexMaintenance } from '../../ports/search-index-maintenance.ts';
import { AppError } from '../domain/errors.ts';
import type { BulkLimits } from '../indexing/bulk-chunks.ts';
import { type CopyProgress, copyListings } from './copy-listings.ts';
import { IdSample } from './id-sample.ts';
import { DEFAULT_RETRY, type RebuildTarget, type RetryPolicy, type WriteFailure } from './index-writes.ts';
import { PhaseTimer } from './phase-timer.ts';
import { CheckpointWriter, findResumable } from './rebuild-checkpoint.ts';
import { problemsOf } from './rebuild-problems.ts';
import { catchUp, replayChanges } from './replay-changes.ts';
import { type Verification, verifyRebuild } from './verify-rebuild.ts';

export interface RebuildDeps {
  readonly listings: ListingRepository;
  readonly outbox: IndexOutbox;
  readonly searchIndex: SearchIndex;
  readonly maintenance: SearchIndexMaintenance;
  readonly logger: Logger;
  /** Monotonic milliseconds, for durations and rates. */
  readonly monotonicMs: () => number;
}

export interface RebuildRequest {
  /** Rows per PostgreSQL read (1..1000). */
  readonly batchSize: number;
  /** Bulk requests in flight (1..32). */
  readonly concurrency: number;
  readonly bulk: BulkLimits;
  /** Previous indices kept for rollback after the swap. */
  readonly keep: number;
  /** False: build and verify, leave the aliases where they are (the new index is kept for inspection). */
  readonly swap: boolean;
  readonly dryRun: boolean;
  /** Swap despite dead letters in the outbox. Never despite a failed verification. */
  readonly force: boolean;
  /** Documents compared field by field before the swap. */
  readonly sampleSize: number;
  /**
   * How long a catch-up waits for the change feed, which a long transaction anywhere on the database server holds
   * back (the feed never skips a running writer). Default 5 minutes.
   */
  readonly feedWaitMs?: number;
  /**
   * Go on with the newest index a killed rebuild left (its checkpoint: the outbox mark and the last confirmed id)
   * instead of starting over; PRECONDITION_FAILED when there is none.
   */
  readonly resume?: boolean;
  readonly retry?: RetryPolicy;
}

export type RebuildPhase = 'copy' | 'replay' | 'verify' | 'swap' | 'catch-up';

export interface RebuildProgress extends CopyProgress {
  readonly phase: RebuildPhase;
  readonly index: string;
  /** Searchable listings when the copy began (the copy's total). */
  readonly total: number;
}

export interface RebuildHooks {
  /** True stops the run at the next batch boundary (then it drops the new index and rejects with INTERRUPTED). */
  stopped(): boolean;
  progress(progress: RebuildProgress): void;
}

export interface RebuildReport {
  readonly engine: 'opensearch' | 'postgres';
  readonly dryRun: boolean;
  /** The new index (null on a dry run). */
  readonly index: string | null;
  /** The index that served before. */
  readonly previous: string | null;
  readonly swapped: boolean;
  /** Old indices dropped because they exceeded `keep`. */
  readonly dropped: readonly string[];
  /** Indices of earlier runs that never served (killed, or built with `swap: false`), dropped before the build. */
  readonly leftovers: readonly string[];
  /** With `resume`: the id after which the copy went on (every listing up to it was already written), else null. */
  readonly resumedFrom: number | null;
  /** Searchable listings when the copy began. */
  readonly total: number;
  readonly documents: number;
  readonly bytes: number;
  readonly failed: number;
  readonly failures: readonly WriteFailure[];
  /** Listings replayed from the change feed before the swap, and after it. */
  readonly replayed: number;
  readonly replayedAfterSwap: number;
  readonly deadLetters: number;
  readonly verification: Verification | null;
  /** Why the new index was not swapped in (empty when it was, or when it was not asked to be). */
  readonly problems: readonly string[];
  readonly durationMs: number;
  /** Milliseconds spent in each phase (the verify phase includes waiting for the change feed). */
  readonly phasesMs: Readonly<Partial<Record<RebuildPhase, number>>>;
  /** Rates of the copy phase. */
  readonly documentsPerSecond: number;
  readonly bytesPerSecond: number;
}

const DEFAULT_FEED_WAIT_MS = 5 * 60_000;

export class RebuildSearchIndex {
  readonly #deps: RebuildDeps;

  constructor(deps: RebuildDeps) {
    this.#deps = deps;
  }

  async execute(request: RebuildRequest, hooks: RebuildHooks): Promise<RebuildReport> {
    const { listings, outbox, searchIndex, maintenance, logger } = this.#deps;
    const started = this.#deps.monotonicMs();
    const phases = new PhaseTimer<RebuildPhase>(this.#deps.monotonicMs);
    const retry = request.retry ?? DEFAULT_RETRY;
    const feedWaitMs = request.feedWaitMs ?? DEFAULT_FEED_WAIT_MS;
    const inventory = await maintenance.indices();
    const total = await listings.countForReindex();
    const deadLetters = (await outbox.stats()).dead;
    const base = {
      engine: maintenance.engine,
      dryRun: request.dryRun,
      previous: inventory.serving,
      total,
      deadLetters,
      leftovers: inventory.other,
      resumedFrom: null as number | null,
    };
    if (request.dryRun) {
      return this.#report(started, phases, {
        ...base,
        index: null,
        swapped: false,
        dropped: [],
        documents: 0,
        bytes: 0,
        failed: 0,
        failures: [],
        replayed: 0,
        replayedAfterSwap: 0,
        verification: null,
        problems: [],
      });
    }

    const resumable = request.resume === true ? await findResumable(maintenance, inventory) : null;
    if (request.resume === true && resumable === null) {
      throw new AppError(
        'PRECONDITION_FAILED',
        'nothing to resume: no index left by a killed reindex has a checkpoint',
      );
    }
    // Indices a killed (or --no-swap) run left behind: nobody else builds while this run holds the lock.
    const leftovers = inventory.other.filter((other) => other !== resumable?.name);
    for (const leftover of leftovers) await searchIndex.dropIndex(leftover);
    if (leftovers.length > 0) logger.info({ dropped: leftovers }, 'reindex: dropped leftover indices');
    const name = resumable?.name ?? (await searchIndex.createVersionedIndex());
    const resumedFrom = resumable?.checkpoint.afterId ?? null;
    logger.info({ index: name, previous: inventory.serving, total, resumedFrom }, 'reindex: building a new index');
    const shadow: RebuildTarget = {
      upsert: (documents) => searchIndex.bulkInto(name, documents),
      remove: (items) => maintenance.removeFrom(name, items),
    };
    let swapped = false;
    try {
      // A resumed run replays from its first start's mark: nothing written since then is missed.
      const mark = resumable?.checkpoint.mark ?? (await outbox.mark());
      const checkpoints = new CheckpointWriter(maintenance, name, mark, this.#deps.monotonicMs);
      if (resumable === null) await checkpoints.save(0, { documents: 0, bytes: 0 }, true);
      const progress = (phase: RebuildPhase, copy: CopyProgress) => {
        phases.enter(phase);
        hooks.progress({ phase, index: name, total, ...copy });
      };
      phases.enter('copy');
      const sample = new IdSample(request.sampleSize);
      const copy = await copyListings(
        listings,
        { batchSize: request.batchSize, bulk: request.bulk, concurrency: request.concurrency, retry },
        shadow,
        {
          stopped: hooks.stopped,
          progress: (copied) => progress('copy', copied),
          sample,
          confirmed: (afterId, copied) => checkpoints.save(afterId, copied),
        },
        resumable?.checkpoint ?? { afterId: 0, documents: 0, bytes: 0 },
      );
      if (copy.stopped) throw interrupted();
      await checkpoints.save(copy.lastId, copy, true);
      progress('replay', copy);
      const replay = await replayChanges({ outbox, listings }, mark, shadow, retry, hooks.stopped);
      if (hooks.stopped()) throw interrupted();
      progress('verify', copy);
      const verification = await verifyRebuild(this.#deps, name, replay.next, sample.ids(), shadow, {
        retry,
        feedWaitMs,
      });
      if (hooks.stopped()) throw interrupted();

      const failures = [...copy.failures, ...replay.failures, ...verification.replayFailures];
      const failed = copy.failed + replay.failures.length + verification.replayFailures.length;
      const problems = problemsOf(verification, failed, deadLetters, request.force);
      const built = {
        ...base,
        leftovers,
        resumedFrom,
        index: name,
        documents: copy.documents,
        bytes: copy.bytes,
        failed,
        failures: failures.slice(0, 100),
        replayed: replay.listings + verification.replayed,
        verification,
      };
      if (problems.length > 0) {
        logger.warn({ index: name, problems }, 'reindex: the new index failed verification; dropping it');
        await searchIndex.dropIndex(name);
        return this.#report(started, phases, { ...built, swapped: false, dropped: [], replayedAfterSwap: 0, problems });
      }
      if (!request.swap) {
        return this.#report(started, phases, { ...built, swapped: false, dropped: [], replayedAfterSwap: 0, problems });
      }

      progress('swap', copy);
      const swap = await searchIndex.swapAlias(name, { keep: request.keep });
      swapped = true;
      logger.info({ index: name, previous: swap.previous, dropped: swap.dropped }, 'reindex: swapped');
      progress('catch-up', copy);
      // Writes the worker sent to the old index after the last replay: the feed has them; the aliases now lead here.
      const serving: RebuildTarget = { upsert: (d) => searchIndex.upsert(d), remove: (i) => searchIndex.remove(i) };
      const after = await catchUp({ outbox, listings }, verification.next, serving, retry, {
        waitMs: feedWaitMs,
        monotonicMs: this.#deps.monotonicMs,
      });
      await searchIndex.refresh();
      const afterProblems = [
        ...(after.failures.length > 0
          ? [`${after.failures.length} listing(s) failed to catch up after the swap: run listings validate --fix`]
          : []),
        ...(after.complete
          ? []
          : ['a long transaction held the change feed back after the swap: run listings validate --fix']),
      ];
      return this.#report(started, phases, {
        ...built,
        previous: swap.previous,
        swapped: true,
        dropped: swap.dropped,
        failed: failed + after.failures.length,
        failures: [...built.failures, ...after.failures].slice(0, 100),
        replayedAfterSwap: after.listings,
        problems: afterProblems,
      });
    } catch (error) {
      if (swapped) throw error;
      if (error instanceof AppError && error.code === 'INTERRUPTED') {
        await this.#dropQuietly(name);
      } else {
        // An engine or database failure: the index and its checkpoint stay for `--resume`; the serving one is as it was.
        logger.warn(
          { index: name },
          'reindex failed: the unfinished index is kept for --resume (a run without drops it)',
        );
      }
      throw error;
    }
  }

  async #dropQuietly(name: string): Promise<void> {
    try {
      await this.#deps.searchIndex.dropIndex(name);
      this.#deps.logger.info({ index: name }, 'reindex: dropped the unfinished index; the serving index is unchanged');
    } catch (error) {
      this.#deps.logger.error({ err: error, index: name }, 'reindex: could not drop the unfinished index');
    }
  }

  #report(
    started: number,
    phases: PhaseTimer<RebuildPhase>,
    report: Omit<RebuildReport, 'durationMs' | 'phasesMs' | 'documentsPerSecond' | 'bytesPerSecond'>,
  ): RebuildReport {
    const durationMs = Math.round(this.#deps.monotonicMs() - started);
    const phasesMs = phases.finish();
    const copySeconds = Math.max(phasesMs.copy ?? durationMs, 1) / 1000;
    return {
      ...report,
      durationMs,
      phasesMs,
      documentsPerSecond: Math.round(report.documents / copySeconds),
      bytesPerSecond: Math.round(report.bytes / copySeconds),
    };
  }
}

function interrupted(): AppError {
  return new AppError('INTERRUPTED', 'reindex interrupted: the new index was dropped, the serving index is unchanged');
}
