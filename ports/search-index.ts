import type { CurrencyCode } from '../src/domain/currency.ts';
import type { ListingStatus, SourceType, Visibility } from '../src/domain/listing-status.ts';
import type { MinorUnits } from '../src/domain/money.ts';

/**
 * The search index of listings, as the core needs it: SearchListings and autocomplete read it, the indexing worker
 * writes it, the reindex and validate commands rebuild and count it. Two adapters keep this contract: OpenSearch
 * (adapters/opensearch) and PostgreSQL full-text (adapters/pgsearch, the embedded default and the fallback).
 *
 * Guarantees an adapter must keep:
 * - **Only what it is given.** Documents come from `src/search/search-document.ts`, which builds them for searchable
 *   listings only (active, public, not deleted); the adapter stores them as given and never decides searchability.
 * - **External versioning.** Every write carries the listing's `version`. A write (upsert or remove) applies when its
 *   version is ≥ the stored one (OpenSearch `version_type=external_gte`); an older one changes nothing and is reported
 *   `stale`. A remove leaves a tombstone with its version, so an older upsert arriving after it cannot resurrect the
 *   document (OpenSearch keeps tombstones for `index.gc_deletes`, set to 1 hour; pgsearch until the table is rebuilt).
 * - **Per-item results.** Writes resolve with one result per input item, in input order, and never reject for an
 *   item's problem: `ok`, `stale` (counts as done), `retryable` (engine busy or unreachable: try again later) or
 *   `permanent` (the document itself is refused: dead-letter it). One bad document never blocks the others.
 * - **Visibility.** pgsearch shows a write to the next search; OpenSearch within its refresh interval (1 s), or at
 *   once after {@link SearchIndex.refresh}. Callers must not expect read-your-write from OpenSearch.
 * - **Pages.** `total` counts every match exactly. Cursors are opaque, belong to the query they were issued for
 *   (another text, filter or sort → `VALIDATION_FAILED`), and resume strictly after the last hit in a total order
 *   (the sort key, then the listing id): walking `nextCursor` returns every match once, without duplicates or gaps,
 *   as long as the matching documents do not change meanwhile.
 * - **Errors.** Reads reject with `AppError`: `VALIDATION_FAILED` for a bad cursor or argument,
 *   `DEPENDENCY_UNAVAILABLE` when the engine cannot be reached. No driver error crosses the port.
 */
export interface SearchIndex {
  /** The engine this index is (a failover wrapper: its primary's). The `engine` label of the search metrics. */
  readonly engine: SearchEngine;

  /**
   * Longest time in milliseconds between an acknowledged write and searches seeing it (OpenSearch's refresh
   * interval). Absent or 0 when an acknowledged write is visible at once (PostgreSQL). Whoever caches search
   * answers must expect stale answers for this long after a write.
   */
  readonly visibilityDelayMs?: number;

  search(query: SearchQuery): Promise<SearchResult>;

  /** Titles that start with (a word starting with) `prefix` (≥ 2 characters), best first, distinct titles. */
  suggest(request: SuggestRequest): Promise<readonly Suggestion[]>;

  /** Writes documents through the write alias (the serving index). See the versioning guarantee. */
  upsert(documents: readonly SearchDocument[]): Promise<readonly IndexItemResult[]>;

  /** Removes documents (missing ones count as `ok`), leaving version tombstones. */
  remove(items: readonly IndexRemoval[]): Promise<readonly IndexItemResult[]>;

  /**
   * Creates the serving index and its aliases when missing (idempotent; never touches an existing one). Call before
   * the worker starts, so nothing is ever written to an index created with dynamic mappings (flaw #2). `name` is
   * the physical index that serves now.
   */
  ensureIndex(): Promise<{ readonly name: string; readonly created: boolean }>;

  /** Creates an empty physical index beside the serving one (for reindex to fill) and returns its name. */
  createVersionedIndex(): Promise<string>;

  /** Like {@link SearchIndex.upsert}, into the named physical index (same versioning and per-item results). */
  bulkInto(name: string, documents: readonly SearchDocument[]): Promise<readonly IndexItemResult[]>;

  /**
   * Makes `newName` the serving index for reads and writes in one atomic step (searches keep working throughout),
   * keeps the `keep` most recent previous indices for rollback (default 1) and drops older ones. Swapping to the
   * index that already serves is a no-op.
   */
  swapAlias(newName: string, options?: { readonly keep?: number }): Promise<AliasSwap>;

  /** Drops a physical index that does not serve (a failed reindex); refuses the serving one with `INVALID_STATE`. */
  dropIndex(name: string): Promise<void>;

  /** Documents (not tombstones) in the serving index, or in the named physical index. */
  count(name?: string): Promise<number>;

  /** Makes every write so far visible to searches (the serving index, or the named one). */
  refresh(name?: string): Promise<void>;

  /** Releases what the adapter opened itself (an OpenSearch client); a shared database handle stays open. */
  close(): Promise<void>;
}

/** A search engine: OpenSearch, or PostgreSQL full-text search (adapters/pgsearch). */
export type SearchEngine = 'opensearch' | 'postgres';

/** What one listing looks like in the index: one shape for the worker and the reindex command (flaw #6). */
export interface SearchDocument {
  readonly id: number;
  readonly uuid: string;
  /** `listings.version`: the external version. */
  readonly version: number;
  readonly title: string;
  readonly description: string | null;
  readonly price: MinorUnits;
  readonly currency: CurrencyCode;
  readonly categoryId: number;
  readonly status: ListingStatus;
  readonly visibility: Visibility;
  readonly sourceType: SourceType;
  readonly userId: number;
  readonly storefrontId: number | null;
  readonly quantity: number;
  readonly sku: string | null;
  readonly stockStatus: string | null;
  /** Key/value pairs, keys unique, values as text (numbers and booleans spelled as JSON does). */
  readonly attributes: readonly SearchAttribute[];
  readonly tags: readonly string[];
  /** WGS 84 degrees; already reduced or removed according to the listing's location privacy. */
  readonly location: GeoPoint | null;
  readonly city: string | null;
  readonly country: string | null;
  /** Primary first, then display order. */
  readonly images: readonly SearchImage[];
  readonly viewCount: number;
  readonly favoritesCount: number;
  /** Millisecond precision (what a `Date` holds). */
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly publishedAt: Date | null;
}

export interface SearchAttribute {
  readonly key: string;
  readonly value: string;
}

export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
}

export interface SearchImage {
  readonly url: string;
  readonly thumbnailUrl: string | null;
  /** Every derivative by size name (`small`, `medium`...), so search results can show any size without a row read. */
  readonly thumbnails: Readonly<Record<string, string>>;
  readonly isPrimary: boolean;
  readonly displayOrder: number;
}

export interface IndexRemoval {
  readonly id: number;
  /** The version of the change that removed it (a hard delete sends the last version + 1). */
  readonly version: number;
}

/** The outcome of one write, in input order. `stale` = a newer (or equal, for removes) version is stored: done. */
export type IndexItemResult =
  | { readonly id: number; readonly status: 'ok' }
  | { readonly id: number; readonly status: 'stale' }
  | { readonly id: number; readonly status: 'retryable'; readonly reason: string }
  | { readonly id: number; readonly status: 'permanent'; readonly reason: string };

export interface AliasSwap {
  /** The physical index that served before (null when none did). */
  readonly previous: string | null;
  /** Previous indices dropped because they exceeded `keep`. */
  readonly dropped: readonly string[];
}

/**
 * `relevance` ranks by text match (title above description above tags and attributes); with an empty text it is
 * `created_at_desc`. `distance` needs {@link SearchFilters.geo} and sorts nearest first.
 */
export type SearchSort = 'relevance' | 'price_asc' | 'price_desc' | 'created_at_desc' | 'distance';

export const SEARCH_SORTS: readonly SearchSort[] = [
  'relevance',
  'price_asc',
  'price_desc',
  'created_at_desc',
  'distance',
];

/** AND-ed filters; unset = no constraint. Text values match exactly (case-sensitive). */
export interface SearchFilters {
  /** Any of these categories (empty = no constraint). */
  readonly categoryIds?: readonly number[];
  readonly status?: ListingStatus;
  /** Inclusive bounds in minor units; null = open. */
  readonly price?: { readonly min: MinorUnits | null; readonly max: MinorUnits | null };
  readonly currency?: CurrencyCode;
  readonly storefrontId?: number;
  readonly userId?: number;
  readonly sourceType?: SourceType;
  /**
   * Every pair must be present (`key` = `value`). OpenSearch keeps no exact term for a key or value over 8,191
   * characters (Lucene's term limit, see opensearch-index-definition.ts): such a pair matches no filter and makes
   * no facet bucket there, though text search still finds its words.
   */
  readonly attributes?: readonly SearchAttribute[];
  /** Documents with a location within `radiusKm` (great-circle, mean Earth radius 6371.0088 km) of the point. */
  readonly geo?: GeoPoint & { readonly radiusKm: number };
}

export interface SearchQuery {
  /** Trimmed words in any of Russian, Serbian (Cyrillic or Latin) or plain text; every word must match; '' = all. */
  readonly text: string;
  readonly filters: SearchFilters;
  readonly sort: SearchSort;
  /** 1..100. */
  readonly limit: number;
  /** Skip this many matches (offset + limit ≤ {@link MAX_SEARCH_WINDOW}); 0 when `after` is given. */
  readonly offset?: number;
  /** A `nextCursor` (or a hit's `cursor`) of the same query: the page after it. */
  readonly after?: string | null;
  /** Counts per value over all matches; absent = no facets (cheaper). */
  readonly facets?: FacetRequest;
}

/** The deepest offset page (`from + size` of OpenSearch's max_result_window); deeper pages use cursors. */
export const MAX_SEARCH_WINDOW = 10_000;

export interface FacetRequest {
  /** Attribute keys to count values of (at most 10). */
  readonly attributeKeys?: readonly string[];
  /** Buckets per facet, by count descending then value ascending (byte order); default 20, at most 100. */
  readonly size?: number;
}

export interface FacetBucket<T> {
  readonly value: T;
  readonly count: number;
}

export interface SearchFacets {
  readonly category: readonly FacetBucket<number>[];
  readonly currency: readonly FacetBucket<string>[];
  readonly sourceType: readonly FacetBucket<string>[];
  /** One entry per requested key (empty list when no match has it). */
  readonly attributes: Readonly<Record<string, readonly FacetBucket<string>[]>>;
}

export interface SearchHit {
  readonly id: number;
  readonly version: number;
  /** Relevance score when sorting by relevance with text (engine-specific scale), else null. */
  readonly score: number | null;
  /** Resumes after this hit (same rules as `nextCursor`). */
  readonly cursor: string;
}

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  /** Every match, exactly. */
  readonly total: number;
  /** Null when facets were not requested. */
  readonly facets: SearchFacets | null;
  /** Null when this page reached the last match. */
  readonly nextCursor: string | null;
  /**
   * The engine that computed this answer: each adapter names itself, so behind the failover
   * (src/search/failover-search-index.ts) `postgres` where `engine` is `opensearch` means the fallback answered
   * while OpenSearch was down (as fresh as the index was when it went down). Its cursors belong to that engine.
   */
  readonly servedBy: SearchEngine;
}

export interface SuggestRequest {
  /** At least 2 characters after trimming. */
  readonly prefix: string;
  /** 1..20. */
  readonly limit: number;
}

export interface Suggestion {
  readonly id: number;
  readonly title: string;
}
