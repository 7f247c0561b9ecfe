import type { IndexItemResult, IndexRemoval, SearchDocument } from './search-index.ts';

/**
 * What `listings reindex` and `listings validate` need of a search engine beyond {@link SearchIndex}: read the stored
 * documents back (to compare them with PostgreSQL), list the physical indices (to roll back), and remove documents
 * from an index that does not serve yet (a rebuild replays deletes into it). Kept apart from `SearchIndex` so the
 * serving wrappers (failover, mirror, cache invalidation) need not implement it; each engine's adapter does
 * (adapters/opensearch, adapters/pgsearch), with the same physical index names its `SearchIndex` uses.
 *
 * Guarantees an adapter must keep:
 * - **Stored documents only.** Tombstones (removed documents) are never returned; `version` is the external version
 *   the document was written with; `document` is the {@link SearchDocument} as it was given to the write, read back
 *   exactly (dates to the millisecond, price in minor units), or null when the stored form cannot be read back.
 * - **Order.** {@link scanDocuments} walks ids in ascending order, strictly after `afterId`: walking from 0 with the
 *   last id returned visits every document once (documents written meanwhile may or may not be seen).
 * - **Read-your-writes.** {@link getDocuments} sees every acknowledged write (OpenSearch `_mget` is real time);
 *   {@link scanDocuments} sees writes made visible by `SearchIndex.refresh`.
 * - **Errors.** `AppError` only: `VALIDATION_FAILED` for a name that is not one of this engine's indices,
 *   `DEPENDENCY_UNAVAILABLE` when the engine cannot be reached.
 */
export interface SearchIndexMaintenance {
  readonly engine: 'opensearch' | 'postgres';

  /** The physical indices: the serving one, retired ones (rollback candidates, newest first), and the others. */
  indices(): Promise<IndexInventory>;

  /** Up to `limit` (1..1000) documents with id > `afterId`, ascending, of the serving index or the named one. */
  scanDocuments(options: ScanOptions): Promise<readonly StoredDocument[]>;

  /** The stored documents of these ids (at most 1000; absent or removed ones are left out), in no set order. */
  getDocuments(ids: readonly number[], name?: string): Promise<readonly StoredDocument[]>;

  /** Like `SearchIndex.remove`, in the named physical index (versioned, tombstones, one result per item in order). */
  removeFrom(name: string, items: readonly IndexRemoval[]): Promise<readonly IndexItemResult[]>;

  /**
   * Stores a rebuild's checkpoint (opaque text, at most 4 KiB) with the named index, replacing the previous one, so
   * a rebuild killed part way can resume (`reindex --resume`). Durable once resolved.
   */
  saveCheckpoint(name: string, checkpoint: string): Promise<void>;

  /** The last checkpoint saved with the named index, or null. */
  checkpoint(name: string): Promise<string | null>;

  /**
   * How many stored documents the serving index (or the named one) holds, in all, per `status` and per
   * `categoryId` (`validate --quick`). Tombstones are not counted; like {@link scanDocuments} it sees writes made
   * visible by `SearchIndex.refresh`. One or two requests whatever the index size, no document is read.
   */
  countDocuments(name?: string): Promise<BucketCounts>;
}

/**
 * Counts of listings or documents, in all and per bucket (`validate --quick` compares PostgreSQL's with the index's).
 * Bucket keys are the status (`active`...) and the category id as a decimal string; a bucket with no entries is absent.
 */
export interface BucketCounts {
  readonly total: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byCategory: Readonly<Record<string, number>>;
}

export interface ScanOptions {
  /** The physical index; default the serving one. */
  readonly name?: string;
  /** 0 to start. */
  readonly afterId: number;
  /** 1..1000. */
  readonly limit: number;
}

export interface StoredDocument {
  readonly id: number;
  readonly version: number;
  /** Null when the stored form could not be read back as a document (reported as drift, never thrown). */
  readonly document: SearchDocument | null;
}

export interface IndexInventory {
  /** The physical index searches read now; null before the first one exists. */
  readonly serving: string | null;
  /** Indices a swap replaced and kept (`swapAlias({keep})`), newest first: what `reindex --rollback` goes back to. */
  readonly retired: readonly string[];
  /** Other physical indices of this engine: a rebuild in progress, or one a killed rebuild left behind. */
  readonly other: readonly string[];
}
