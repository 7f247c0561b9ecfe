/**
 * Which object-storage keys the image metadata (`listing_images.storage_key`) still points at, so the orphan
 * collector can tell a stored image from a leftover (and `validate` can find rows whose object is gone). Adapter: `adapters/sql/knex-image-key-index.ts`.
 *
 * Reads committed rows only, outside any unit of work; a row inserted after the call is not seen (the collector's
 * grace period covers uploads in progress).
 */
export interface ImageKeyIndex {
  /**
   * The `storage_key` of every image row of these listings (deleted listings' rows included while they exist), as
   * one set. At most {@link MAX_LISTINGS_PER_LOOKUP} ids per call; an empty list answers an empty set.
   */
  storageKeysOf(listingIds: readonly number[]): Promise<Set<string>>;

  /**
   * The image rows that have a `storage_key`, at most `limit` (1..1000) of them, in the order `ObjectStore.list`
   * returns keys in (ascending UTF-8 bytes of `storage_key`, `compareObjectKeys`), rows with the same key by id; only
   * rows after `after` in that order (all of them when undefined). `validate` walks them beside the object listing
   * to find rows whose object is gone, so the two orders must agree exactly.
   */
  storedImagesInKeyOrder(after: KeyOrderPosition | undefined, limit: number): Promise<readonly StoredImageKey[]>;
}

/** Where a walk in key order stands: the last row it read. */
export type KeyOrderPosition = Pick<StoredImageKey, 'storageKey' | 'id'>;

export interface StoredImageKey {
  /** `listing_images.id`. */
  readonly id: number;
  readonly listingId: number;
  readonly storageKey: string;
}

export const MAX_LISTINGS_PER_LOOKUP = 500;
