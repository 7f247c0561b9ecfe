/**
 * The full pass of `listings validate`: every live listing row and every stored document, both streamed in id order
 * and merge-compared (ops-scripts.md §1.8), in constant memory (a page of each side, plus the page read ahead).
 * Presence and versions are checked for every listing; fields for all of them or for a random share.
 */
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { SearchIndexMaintenance, StoredDocument } from '../../ports/search-index-maintenance.ts';
import type { ListingDetails } from '../domain/listing.ts';
import { buildSearchDocument } from '../search/search-document.ts';
import { classify, type DriftTally } from './drift.ts';
import { IdCursor } from './id-cursor.ts';

export interface CompareOptions {
  /** The physical index; default the serving one. */
  readonly name?: string;
  /** The share of listings whose fields are compared (1 = all). */
  readonly fieldShare: number;
  readonly random: () => number;
  stopped(): boolean;
  progress(counts: CompareCounts): void;
  /** Sees each page of live rows as it is read (the cache check), before the next page is asked for. */
  onRows?(rows: readonly ListingDetails[]): Promise<void>;
}

export interface CompareCounts {
  /** Live listing rows read from PostgreSQL. */
  readonly listings: number;
  /** Of those, the searchable ones. */
  readonly searchable: number;
  /** Documents read from the index. */
  readonly documents: number;
  /** Listings whose fields were compared. */
  readonly fieldsCompared: number;
  /** True when the pass stopped early (SIGINT). */
  readonly stopped: boolean;
}

const PAGE = 1000;
/** Progress is reported (and the stop flag read) every this many ids. */
const PROGRESS_EVERY = 5000;

export async function compareIndex(
  listings: ListingRepository,
  maintenance: SearchIndexMaintenance,
  options: CompareOptions,
  tally: DriftTally,
): Promise<CompareCounts> {
  const rows = new IdCursor<ListingDetails>(async (afterId) => {
    const batch = await listings.listForReindex({ afterId, limit: PAGE, scope: 'live' });
    if (options.onRows !== undefined) await options.onRows(batch.items);
    return { items: batch.items, nextAfterId: batch.nextAfterId };
  });
  const documents = new IdCursor<StoredDocument>(async (afterId) => {
    const items = await maintenance.scanDocuments({
      afterId,
      limit: PAGE,
      ...(options.name === undefined ? {} : { name: options.name }),
    });
    return { items, nextAfterId: items.length < PAGE ? null : (items.at(-1)?.id ?? null) };
  });
  const counts = { listings: 0, searchable: 0, documents: 0, fieldsCompared: 0, stopped: false };
  let visited = 0;
  for (;;) {
    const [row, stored] = await Promise.all([rows.current(), documents.current()]);
    if (row === undefined && stored === undefined) break;
    let id: number;
    let liveRow: ListingDetails | undefined;
    let document: StoredDocument | undefined;
    if (stored === undefined || (row !== undefined && row.id < stored.id)) {
      liveRow = row;
      id = (row as ListingDetails).id;
      rows.advance();
    } else if (row === undefined || stored.id < row.id) {
      document = stored;
      id = stored.id;
      documents.advance();
    } else {
      liveRow = row;
      document = stored;
      id = row.id;
      rows.advance();
      documents.advance();
    }
    const want = liveRow === undefined ? null : buildSearchDocument(liveRow);
    if (liveRow !== undefined) counts.listings += 1;
    if (want !== null) counts.searchable += 1;
    if (document !== undefined) counts.documents += 1;
    const compareFields = want !== null && document !== undefined && options.random() < options.fieldShare;
    if (compareFields) counts.fieldsCompared += 1;
    const finding = classify(id, liveRow, want, document, compareFields);
    if (finding !== null) tally.add(finding);
    if (++visited % PROGRESS_EVERY === 0) {
      options.progress({ ...counts });
      if (options.stopped()) return { ...counts, stopped: true };
    }
  }
  options.progress({ ...counts });
  return counts;
}
