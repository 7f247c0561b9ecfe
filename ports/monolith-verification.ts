import type { SourceTable, TargetTable, VerifiedTable } from '../src/monolith-migration/mapping/index.ts';

/**
 * What `listings migrate-from-monolith verify` reads besides the mapping pass (reference monolith.md §4.8): the
 * mapping-independent layers on both sides (counts, sums, id sets), the actual side of the key-column checksums
 * and the rows of the sample. Both adapters only read: the source inside a `REPEATABLE READ, READ ONLY` snapshot,
 * the target in plain read-only statements. Values cross as plain JS values; decimals and timestamps as text.
 *
 * "In scope" on the target means the rows verify answers for: listings the migration owns (live id_map entries of
 * c2c_listings / b2c_products), every row of images, attributes, locations, favorites and variants of those
 * listings (whoever wrote it, so a row added by hand is seen), and the stores and categories id_map lists.
 */

/** Target tables whose ids verify compares as sets, per bucket of 10,000 ids. */
export type IdSetTable = 'listings' | 'listing_images' | 'storefronts' | 'c2c_categories' | 'b2c_product_variants';

/**
 * Order-independent digest of the rows of one bucket: the row count and, for each of the four 32-bit words of
 * every row's md5, their sum (exact in a double for up to 2^21 rows per bucket).
 */
export interface BucketDigest {
  readonly rows: number;
  readonly sums: readonly [number, number, number, number];
}

/** The sorted ids of one bucket: count and md5 of the ids joined by `,`. */
export interface IdBucket {
  readonly rows: number;
  readonly md5: string;
}

/** Per-listing figures the sums layer adds up, on either side. */
export interface ListingFigures {
  /** Decimal text at scale 2; null when the source has none (a row changed since the run). */
  readonly price: string | null;
  readonly viewCount: number;
  readonly images: number;
  readonly favorites: number;
}

/** A target row of the sample, column → value: timestamps as canonical UTC text, JSON and decimals as text. */
export type SampledRow = Readonly<Record<string, string | number | boolean | null>>;

export interface SampledListing {
  readonly listing: SampledRow;
  readonly location: SampledRow | null;
  readonly images: readonly SampledRow[];
  readonly attributes: readonly SampledRow[];
  readonly favorites: readonly SampledRow[];
}

export interface VerifiedRun {
  readonly runId: string;
  readonly mode: string;
  readonly status: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly sourceZone: string;
  readonly sourceShape: string | null;
  /** The options the run recorded (the command's flags). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The run's final report (runs.counts), or null. */
  readonly report: Readonly<Record<string, unknown>> | null;
}

export interface RejectEntry {
  readonly sourceTable: SourceTable;
  readonly sourceKey: string;
  readonly code: string;
}

/** Rows of a target table the bookkeeping says the migration wrote, and how many of them exist. */
export interface BookedRows {
  readonly booked: number;
  readonly present: number;
  /** Up to 20 target ids id_map lists that the table lacks. */
  readonly missing: readonly string[];
}

export interface MonolithVerificationTarget {
  /** Where it is, without credentials. */
  readonly location: string;
  /** The run `runId`, or (null) the newest completed full or catch-up run; null when there is none. */
  run(runId: string | null): Promise<VerifiedRun | null>;
  /** Every reject of the bookkeeping. */
  rejects(): Promise<readonly RejectEntry[]>;
  bookedRows(table: TargetTable): Promise<BookedRows>;
  /** Ids of the listings the migration owns (live id_map entries), ascending. */
  ownedListingIds(): Promise<Float64Array>;
  /** created_at (canonical UTC text) of these listings: the value of the run's clock a row was given (§3.4). */
  listingCreatedAt(ids: readonly number[]): Promise<ReadonlyMap<number, string>>;
  /** Target status of these listings. */
  listingStatuses(ids: readonly number[]): Promise<ReadonlyMap<number, string>>;
  /** Key-column digests per bucket of the rows in scope (texts of mapping/verify-keys.ts KEY_SPECS). */
  keyDigests(table: VerifiedTable): Promise<ReadonlyMap<number, BucketDigest>>;
  /** Canonical key-column texts of the rows in scope in one bucket (drill-down). */
  bucketTexts(table: VerifiedTable, bucket: number): Promise<readonly string[]>;
  idBuckets(table: IdSetTable): Promise<ReadonlyMap<number, IdBucket>>;
  bucketIds(table: IdSetTable, bucket: number): Promise<readonly number[]>;
  listingFigures(ids: readonly number[]): Promise<ReadonlyMap<number, ListingFigures>>;
  sample(ids: readonly number[]): Promise<ReadonlyMap<number, SampledListing>>;
  /** Current value (`last_value`) of each table's id sequence. */
  sequenceValues(tables: readonly string[]): Promise<Readonly<Record<string, number>>>;
  close(): Promise<void>;
}

/**
 * Source rows excluded from the expected side of the id sets and sums: rejected source keys (numeric ids) by
 * source table.
 */
export type ExcludedKeys = Readonly<Partial<Record<SourceTable, readonly number[]>>>;

export interface MonolithVerificationSnapshot {
  /** Ids the migration should have written (source rows in scope minus `excluded`), per bucket. */
  idBuckets(table: IdSetTable, excluded: ExcludedKeys): Promise<ReadonlyMap<number, IdBucket>>;
  bucketIds(table: IdSetTable, bucket: number, excluded: ExcludedKeys): Promise<readonly number[]>;
  /**
   * Figures of these listing ids as the source has them: price (NULL or non-positive → `priceFallback` when the run
   * had one), views (NULL → 0), images not rejected, favorites.
   */
  listingFigures(
    ids: readonly number[],
    settings: { readonly priceFallback: string | null; readonly excluded: ExcludedKeys },
  ): Promise<ReadonlyMap<number, ListingFigures>>;
  close(): Promise<void>;
}

/** Opens the source side of the independent layers: its own read-only snapshot. */
export interface MonolithVerificationSource {
  open(): Promise<MonolithVerificationSnapshot>;
}
