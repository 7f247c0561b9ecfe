/**
 * The checks a rebuilt index passes before it may serve (ops-scripts.md §1.7 steps 5–6): its document count equals
 * PostgreSQL's count of searchable listings, and a random sample of its documents equals what the rows build now.
 *
 * Writes go on meanwhile. Each attempt catches up with the change feed, counts both sides, then catches up again
 * (to a barrier taken after the counts): every change that could make the counts differ is in that second catch-up,
 * and each changes the count by at most one, so a difference no larger than the listings it replayed is explained.
 * An exact match is tried for first. Sampled documents that differ are caught up and compared once more.
 */
import type { IndexOutbox, OutboxMark } from '../../ports/index-outbox.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import type { SearchIndexMaintenance } from '../../ports/search-index-maintenance.ts';
import { loadCurrentListings } from '../indexing/current-listings.ts';
import { buildSearchDocument } from '../search/search-document.ts';
import { differingFields } from '../validate/document-diff.ts';
import type { RebuildTarget, RetryPolicy, WriteFailure } from './index-writes.ts';
import { catchUp } from './replay-changes.ts';

export interface VerifyDeps {
  readonly outbox: IndexOutbox;
  readonly listings: ListingRepository;
  readonly searchIndex: SearchIndex;
  readonly maintenance: SearchIndexMaintenance;
  readonly monotonicMs: () => number;
}

export interface SampleDifference {
  readonly id: number;
  /** `missing` (should be there), `extra` (should not), or the names of the fields that differ. */
  readonly problem: 'missing' | 'extra' | readonly string[];
}

export interface Verification {
  /** Searchable listings in PostgreSQL at the last count. */
  readonly expected: number;
  /** Documents in the new index at the last count. */
  readonly indexed: number;
  /** Listings changed around the last counts (the tolerance when the counts differ). */
  readonly changedDuringCount: number;
  readonly countsMatch: boolean;
  /** False when a long transaction held the change feed back past the wait: nothing could be verified. */
  readonly feedCaughtUp: boolean;
  readonly sampleChecked: number;
  readonly sampleDifferences: readonly SampleDifference[];
  /** Listings replayed by verification's own catch-ups. */
  readonly replayed: number;
  readonly replayFailures: readonly WriteFailure[];
  readonly next: OutboxMark;
}

const COUNT_ATTEMPTS = 3;

export async function verifyRebuild(
  deps: VerifyDeps,
  name: string,
  since: OutboxMark,
  sampleIds: readonly number[],
  target: RebuildTarget,
  settings: { readonly retry: RetryPolicy; readonly feedWaitMs: number },
): Promise<Verification> {
  let mark = since;
  let replayed = 0;
  let feedCaughtUp = true;
  const replayFailures: WriteFailure[] = [];
  const replay = async (): Promise<number> => {
    const report = await catchUp(deps, mark, target, settings.retry, {
      waitMs: settings.feedWaitMs,
      monotonicMs: deps.monotonicMs,
    });
    mark = report.next;
    replayed += report.listings;
    replayFailures.push(...report.failures);
    feedCaughtUp &&= report.complete;
    return report.listings;
  };

  let expected = 0;
  let indexed = 0;
  let changed = 0;
  let countsMatch = false;
  await replay();
  for (let attempt = 1; attempt <= COUNT_ATTEMPTS && !countsMatch && feedCaughtUp; attempt++) {
    await deps.searchIndex.refresh(name);
    indexed = await deps.searchIndex.count(name);
    expected = await deps.listings.countForReindex();
    changed = await replay();
    countsMatch = indexed === expected || (attempt === COUNT_ATTEMPTS && Math.abs(indexed - expected) <= changed);
  }

  let differences = await compareSample(deps, name, sampleIds);
  if (differences.length > 0 && feedCaughtUp) {
    await replay();
    differences = await compareSample(
      deps,
      name,
      differences.map((difference) => difference.id),
    );
  }
  return {
    expected,
    indexed,
    changedDuringCount: changed,
    countsMatch: countsMatch && feedCaughtUp,
    feedCaughtUp,
    sampleChecked: sampleIds.length,
    sampleDifferences: differences,
    replayed,
    replayFailures,
    next: mark,
  };
}

/** Sampled documents of `name` against the documents their rows build now. */
export async function compareSample(
  deps: Pick<VerifyDeps, 'listings' | 'maintenance'>,
  name: string | undefined,
  ids: readonly number[],
): Promise<SampleDifference[]> {
  const differences: SampleDifference[] = [];
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const [rows, stored] = await Promise.all([
      loadCurrentListings(deps.listings, chunk),
      deps.maintenance.getDocuments(chunk, name),
    ]);
    const byId = new Map(stored.map((document) => [document.id, document]));
    for (const id of chunk) {
      const row = rows.get(id);
      const want = row === undefined ? null : buildSearchDocument(row);
      const have = byId.get(id);
      if (want === null && have === undefined) continue;
      if (want === null) differences.push({ id, problem: 'extra' });
      else if (have === undefined) differences.push({ id, problem: 'missing' });
      else if (have.document === null) differences.push({ id, problem: ['unreadable'] });
      else {
        const fields = differingFields(have.document, want);
        if (fields.length > 0) differences.push({ id, problem: fields });
      }
    }
  }
  return differences;
}
