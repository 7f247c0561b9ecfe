/**
 * One claimed batch of indexing jobs, from claim to every job settled.
 *
 * The job's operation is only a hint: the worker loads the listing as it is now and writes what the index must
 * hold now (a document for a searchable row; a removal for a missing, deleted, unpublished or private one). Old and
 * new jobs of a listing therefore converge, and the listing's version travels as the external version, so a job
 * processed late can never put an older document back (the index answers `stale`, which counts as done).
 *
 * Each item's result settles its own job: one refused document fails only its job, never the batch, and becomes a
 * dead letter at once (the same document would be refused again). The batch's outcomes are recorded with one
 * `completeMany` and one `failMany`, whatever the batch size.
 */
import type { Clock } from '../../ports/clock.ts';
import type { ClaimedJob, IndexOutbox } from '../../ports/index-outbox.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { Logger } from '../../ports/logger.ts';
import type { IndexRemoval, SearchDocument, SearchIndex } from '../../ports/search-index.ts';
import type { BackoffPolicy } from '../domain/retry-backoff.ts';
import { buildSearchDocument } from '../search/search-document.ts';
import { type BulkLimits, bulkChunks, type Sized, sizedDocument, sizedRemoval } from './bulk-chunks.ts';
import { loadCurrentListings } from './current-listings.ts';
import { sendToIndex } from './index-requests.ts';
import type { IndexWorkerObserver, JobOutcome } from './index-worker-observer.ts';
import { settleJobs } from './settle-jobs.ts';

export interface IndexBatchDeps {
  readonly outbox: IndexOutbox;
  readonly listings: ListingRepository;
  readonly searchIndex: SearchIndex;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly observer: IndexWorkerObserver;
  /** A value in [0, 1) for the retry jitter. */
  readonly random: () => number;
}

export interface IndexBatchSettings {
  readonly bulk: BulkLimits;
  readonly backoff: BackoffPolicy;
  /** A search index call taking longer counts as failed (retryable) for all its items. */
  readonly requestTimeoutMs: number;
}

export interface BatchReport {
  readonly claimed: number;
  readonly completed: number;
  readonly retried: number;
  readonly dead: number;
  readonly leaseLost: number;
  /** complete/fail threw: the job stays leased until its lease runs out, then it is claimed again. */
  readonly unsettled: number;
  /** A search call failed for every item with a retryable reason (or rejected): the engine looks down. */
  readonly engineDown: boolean;
}

/** What the index said about one listing: done (`ok`/`stale`), or a failure to record on its job. */
export type ItemOutcome =
  | { readonly status: 'done' }
  | { readonly status: 'retryable' | 'permanent'; readonly reason: string };

export async function processBatch(
  deps: IndexBatchDeps,
  settings: IndexBatchSettings,
  jobs: readonly ClaimedJob[],
): Promise<BatchReport> {
  return finishBatch(deps, settings, await prepareBatch(deps, jobs));
}

/** A claimed batch with its documents built: everything up to the search index call (database work only). */
export interface PreparedBatch {
  readonly jobs: readonly ClaimedJob[];
  /** `clock.monotonicMs()` when preparation began (the batch's duration is measured from there). */
  readonly started: number;
  readonly upserts: readonly Sized<SearchDocument>[];
  readonly removals: readonly Sized<IndexRemoval>[];
  /** Listings already decided without the index: rows that could not be read or documents that could not be built. */
  readonly outcomes: ReadonlyMap<number, ItemOutcome>;
}

/** Reads the batch's rows and builds their documents or removals. Never rejects: failures become outcomes. */
export async function prepareBatch(deps: IndexBatchDeps, jobs: readonly ClaimedJob[]): Promise<PreparedBatch> {
  const started = deps.clock.monotonicMs();
  const outcomes = new Map<number, ItemOutcome>();
  const upserts: Sized<SearchDocument>[] = [];
  const removals: Sized<IndexRemoval>[] = [];
  const prepared = { jobs, started, upserts, removals, outcomes };
  // Claims give one job per listing; should two arrive anyway, the higher version speaks for both.
  const versions = new Map<number, number>();
  for (const job of jobs) versions.set(job.listingId, Math.max(job.version, versions.get(job.listingId) ?? 0));

  let rows: Awaited<ReturnType<typeof loadCurrentListings>>;
  try {
    rows = await loadCurrentListings(deps.listings, [...versions.keys()]);
  } catch (error) {
    deps.observer.error('load_failed');
    deps.logger.warn({ err: error, jobs: jobs.length }, 'indexing: reading the listings of a batch failed');
    const reason = `reading the listing failed: ${messageOf(error)}`;
    for (const id of versions.keys()) outcomes.set(id, { status: 'retryable', reason });
    return prepared;
  }
  for (const [id, jobVersion] of versions) {
    const row = rows.get(id);
    try {
      const document = row === undefined ? null : buildSearchDocument(row);
      if (document !== null) upserts.push(sizedDocument(document));
      // A removal carries the version of the change that removed it: the row's when it is still there.
      else removals.push(sizedRemoval({ id, version: Math.max(jobVersion, row?.version ?? 0) }));
    } catch (error) {
      outcomes.set(id, { status: 'permanent', reason: `building the document failed: ${messageOf(error)}` });
    }
  }
  return prepared;
}

/** Sends a prepared batch to the search index and records every job's outcome. */
export async function finishBatch(
  deps: IndexBatchDeps,
  settings: IndexBatchSettings,
  prepared: PreparedBatch,
): Promise<BatchReport> {
  const { jobs } = prepared;
  const { outcomes, engineDown } = await sendBatch(deps, settings, prepared);
  const counts: Record<JobOutcome | 'unsettled', number> = {
    completed: 0,
    retry: 0,
    dead: 0,
    lease_lost: 0,
    unsettled: 0,
  };
  const outcomeOf = (job: ClaimedJob): ItemOutcome =>
    outcomes.get(job.listingId) ?? { status: 'retryable', reason: 'no result from the search index' };
  for (const settled of await settleJobs(deps, settings, jobs, outcomeOf)) counts[settled] += 1;
  deps.observer.batchProcessed({ jobs: jobs.length, seconds: (deps.clock.monotonicMs() - prepared.started) / 1000 });
  return {
    claimed: jobs.length,
    completed: counts.completed,
    retried: counts.retry,
    dead: counts.dead,
    leaseLost: counts.lease_lost,
    unsettled: counts.unsettled,
    engineDown,
  };
}

async function sendBatch(
  deps: IndexBatchDeps,
  settings: IndexBatchSettings,
  prepared: PreparedBatch,
): Promise<{ outcomes: Map<number, ItemOutcome>; engineDown: boolean }> {
  const outcomes = new Map(prepared.outcomes);
  const { upserts, removals } = prepared;
  let engineDown = false;
  for (const chunk of bulkChunks(upserts, removals, settings.bulk)) {
    const calls = await Promise.all([
      sendToIndex(deps, settings, 'upsert', chunk.upserts),
      sendToIndex(deps, settings, 'remove', chunk.removals),
    ]);
    for (const call of calls) {
      engineDown ||= call.engineDown;
      for (const result of call.results) {
        outcomes.set(
          result.id,
          result.status === 'ok' || result.status === 'stale'
            ? { status: 'done' }
            : { status: result.status, reason: result.reason },
        );
      }
    }
  }
  return { outcomes, engineDown };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
