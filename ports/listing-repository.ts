import type { Listing, ListingDetails, NewListing } from '../src/domain/listing.ts';
import type { ListingUpdate } from '../src/domain/listing-changes.ts';
import type { ListingFilter } from '../src/domain/listing-query.ts';
import type { SourceType } from '../src/domain/listing-status.ts';
import type { ListingLocationInput } from '../src/domain/location.ts';

/**
 * Rows of `listings` (C2C listings and B2C products alike) and their side rows, as the core needs them:
 * GetListing, Create/Update/DeleteListing, ListListings, GetListingsForReindex, the product writes that change a
 * row, IncrementProductViews, and the indexing worker's reads.
 *
 * Guarantees an adapter must keep:
 * - "Live" means `is_deleted = false`. Every read returns live rows only unless it says otherwise; a deleted row
 *   is reported exactly like a missing one.
 * - Money is {@link Listing.price} in minor units; DECIMAL(15,2) text is converted exactly (never through a float).
 * - `version` is 1 on insert and raised by every write that changes a column other than the counters
 *   (`view_count`, `favorites_count`, `sold_count`); counter updates keep it. Every returned row carries the
 *   version as stored.
 * - `updated_at` is set to the database's now on every write.
 * - Unique violations are translated: a live SKU already used in the storefront → `ALREADY_EXISTS`
 *   (reason `products.sku_duplicate`). No driver error crosses the port; anything unexpected is `INTERNAL`, an
 *   unreachable database `DEPENDENCY_UNAVAILABLE`.
 * - Side rows come with the listing in batched reads (one query per side table for a whole page, never one per row).
 * - Methods called on a {@link TransactionScope} repository run in that transaction; on the plain repository each
 *   call is its own transaction.
 */
export interface ListingRepository {
  /** A live listing with its images (primary first, then display order, then id), attributes, tags and location. */
  findById(id: number): Promise<ListingDetails | null>;

  /**
   * The live listings among `ids`, as {@link findById} reads them, in id order, each once: missing and deleted ids
   * are left out. One read (one consistent snapshot) whatever the number of ids; callers pass at most 1000.
   */
  findManyByIds(ids: readonly number[]): Promise<ListingDetails[]>;

  /**
   * The row alone. `forUpdate` locks it (`SELECT … FOR UPDATE`) until the transaction ends: use it inside
   * `UnitOfWork.run` before a read-modify-write so concurrent writers queue instead of conflicting.
   * `includeDeleted` also returns soft-deleted rows (admin and validation paths). Defaults: false, false.
   */
  findRow(
    id: number,
    options?: { readonly forUpdate?: boolean; readonly includeDeleted?: boolean },
  ): Promise<Listing | null>;

  /**
   * Live rows matching every set filter, newest first (`created_at DESC, id DESC`), with side rows. `total` is
   * the number of all matches (not only this page). With a keyset page, `nextKey` is the key of the last row when
   * more rows may follow, else null; with an offset page it is always null.
   */
  list(filter: ListingFilter, page: ListingPage): Promise<ListingPageResult>;

  /** Inserts one row and returns it as stored (id assigned, version 1). */
  insert(row: NewListing): Promise<Listing>;

  /**
   * Inserts rows in one statement (BulkCreateProducts, up to 1000) and returns them in input order. All or none:
   * a SKU collision fails the whole call with `ALREADY_EXISTS` (`products.sku_duplicate`, details `{ sku }`);
   * callers check SKUs first (ProductRepository.findTakenSkus) to report per item.
   */
  insertMany(rows: readonly NewListing[]): Promise<Listing[]>;

  /**
   * Writes the given columns of a live row and returns the row as stored. `expectedVersion` is the version the
   * caller read: a different stored version → `VERSION_CONFLICT` (details `{ expected, actual }`); null skips the
   * check (only after `findRow(id, { forUpdate: true })` in the same transaction). Missing or deleted →
   * `LISTING_NOT_FOUND`. An empty update writes nothing and returns the current row.
   */
  update(id: number, expectedVersion: number | null, update: ListingUpdate): Promise<Listing>;

  /**
   * Soft delete: `is_deleted = true, deleted_at = at` (both, always). Returns the deleted row (its version raised).
   * Missing or already deleted → `LISTING_NOT_FOUND`; version mismatch → `VERSION_CONFLICT`.
   */
  softDelete(id: number, at: Date, expectedVersion?: number | null): Promise<Listing>;

  /**
   * Removes the row; the database cascades variants, movements, favorites and side rows (not outbox entries).
   * Returns the row as it was, or null when there was none (deleted rows included). Callers enqueue the index
   * delete in the same transaction and read the images first when their objects must be removed.
   */
  hardDelete(id: number): Promise<Listing | null>;

  /**
   * Replaces the given side rows of a listing (absent keys are left alone): all tags, all attribute entries
   * (key → value), the one location (null removes it). Raises nothing on `listings` itself; callers that need a
   * new index version touch the row through {@link ListingRepository.update}.
   */
  replaceRelations(listingId: number, relations: ListingRelationsInput): Promise<void>;

  /**
   * Walks rows in id order for (re)indexing: ids > `afterId`, at most `limit` (1..1000), with side rows.
   * `scope` `searchable` (default) = active, public, live rows (what the index must hold); `live` = every live row.
   * `nextAfterId` is the last id returned when a full batch came back, else null (done).
   */
  listForReindex(options: ReindexBatchOptions): Promise<ReindexBatch>;

  /** How many rows {@link ListingRepository.listForReindex} would walk with this scope (default `searchable`). */
  countForReindex(options?: { readonly scope?: 'searchable' | 'live' }): Promise<number>;

  /**
   * `view_count += by` (default 1) on a live row, restricted to `sourceType` when given (IncrementProductViews
   * passes `b2c`). Returns the new count, or null when no such live row exists. Keeps `version`.
   */
  incrementViewCount(
    id: number,
    options?: { readonly by?: number; readonly sourceType?: SourceType },
  ): Promise<number | null>;
}

/** Offset page (`limit` 1..100, `offset` ≥ 0) or keyset page (`after` = the last key of the previous page). */
export type ListingPage =
  | { readonly limit: number; readonly offset: number }
  | { readonly limit: number; readonly after: ListingKey | null };

/** Keyset position in `created_at DESC, id DESC` order. */
export interface ListingKey {
  readonly createdAt: Date;
  readonly id: number;
}

export interface ListingPageResult {
  readonly items: readonly ListingDetails[];
  readonly total: number;
  readonly nextKey: ListingKey | null;
}

export interface ListingRelationsInput {
  readonly tags?: readonly string[];
  readonly attributeEntries?: Readonly<Record<string, string | null>>;
  readonly location?: ListingLocationInput | null;
}

export interface ReindexBatchOptions {
  readonly afterId: number;
  readonly limit: number;
  readonly scope?: 'searchable' | 'live';
}

export interface ReindexBatch {
  readonly items: readonly ListingDetails[];
  readonly nextAfterId: number | null;
}
