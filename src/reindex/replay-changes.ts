/**
 * Replays the outbox's change feed into a rebuilt index (ops-scripts.md §1.7 step 4): every listing enqueued or
 * coalesced after the mark is read as it is now and written as the worker would write it (a document, or a
 * versioned removal for a row that is gone or no longer searchable). External versions make the order of replay
 * and of the copy irrelevant: an older document never replaces a newer one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { IndexOutbox, OutboxMark } from '../../ports/index-outbox.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { IndexRemoval, SearchDocument } from '../../ports/search-index.ts';
import { loadCurrentListings } from '../indexing/current-listings.ts';
import { buildSearchDocument } from '../search/search-document.ts';
import { type RebuildTarget, type RetryPolicy, type WriteFailure, writeWithRetry } from './index-writes.ts';

export interface ReplayDeps {
  readonly outbox: IndexOutbox;
  readonly listings: ListingRepository;
}

export interface ReplayReport {
  /** Where the next replay starts. */
  readonly next: OutboxMark;
  /** Distinct listings replayed. */
  readonly listings: number;
  readonly upserts: number;
  readonly removals: number;
  readonly failures: readonly WriteFailure[];
}

/** Change feed entries read per round trip. */
const FEED_PAGE = 1000;

/** Replays every change after `since` that the feed shows now, page by page, until it shows no more. */
export async function replayChanges(
  deps: ReplayDeps,
  since: OutboxMark,
  target: RebuildTarget,
  retry: RetryPolicy,
  stopped: () => boolean = () => false,
): Promise<ReplayReport> {
  let mark = since;
  let listings = 0;
  let upserts = 0;
  let removals = 0;
  const failures: WriteFailure[] = [];
  while (!stopped()) {
    const page = await deps.outbox.changesSince(mark, FEED_PAGE);
    if (page.entries.length === 0) break;
    const versions = new Map<number, number>();
    for (const entry of page.entries) {
      versions.set(entry.listingId, Math.max(entry.version, versions.get(entry.listingId) ?? 0));
    }
    const rows = await loadCurrentListings(deps.listings, [...versions.keys()]);
    const documents: SearchDocument[] = [];
    const removed: IndexRemoval[] = [];
    for (const [id, version] of versions) {
      const row = rows.get(id);
      let document: SearchDocument | null = null;
      try {
        document = row === undefined ? null : buildSearchDocument(row);
      } catch (error) {
        failures.push({ id, reason: `building the document failed: ${(error as Error).message}` });
        continue;
      }
      if (document !== null) documents.push(document);
      else removed.push({ id, version: Math.max(version, row?.version ?? 0) });
    }
    const written = await writeWithRetry(documents, (items) => target.upsert(items), retry, stopped);
    const deleted = await writeWithRetry(removed, (items) => target.remove(items), retry, stopped);
    failures.push(...written.failures, ...deleted.failures);
    listings += versions.size;
    upserts += written.written;
    removals += deleted.written;
    mark = page.next;
    if (page.entries.length < FEED_PAGE) break;
  }
  return { next: mark, listings, upserts, removals, failures };
}

export interface CatchUpReport extends ReplayReport {
  /** False when the barrier was not passed within the wait: a long transaction holds the feed back. */
  readonly complete: boolean;
}

/**
 * Replays until every change committed before this call has been replayed: takes a barrier, replays what the feed
 * shows, and repeats (pausing 100 ms, growing to 2 s) until the barrier is passed, then replays once more. A long
 * transaction anywhere on the database server holds the feed back; after `waitMs` it gives up (`complete: false`).
 */
export async function catchUp(
  deps: ReplayDeps,
  since: OutboxMark,
  target: RebuildTarget,
  retry: RetryPolicy,
  options: { readonly waitMs: number; readonly stopped?: () => boolean; readonly monotonicMs: () => number },
): Promise<CatchUpReport> {
  const stopped = options.stopped ?? (() => false);
  const barrier = await deps.outbox.barrier();
  const started = options.monotonicMs();
  let mark = since;
  let listings = 0;
  let upserts = 0;
  let removals = 0;
  const failures: WriteFailure[] = [];
  const replay = async () => {
    const report = await replayChanges(deps, mark, target, retry, stopped);
    mark = report.next;
    listings += report.listings;
    upserts += report.upserts;
    removals += report.removals;
    failures.push(...report.failures);
  };
  let pause = 100;
  for (;;) {
    const passed = await deps.outbox.passed(barrier);
    await replay();
    if (passed || stopped()) return { next: mark, listings, upserts, removals, failures, complete: passed };
    if (options.monotonicMs() - started > options.waitMs) {
      return { next: mark, listings, upserts, removals, failures, complete: false };
    }
    await sleep(pause);
    pause = Math.min(pause * 2, 2000);
  }
}
