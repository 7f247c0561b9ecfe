/**
 * Which object-storage keys the image metadata (`listing_images.storage_key`) still points at, so the orphan
 * collector can tell a stored image from a leftover. Adapter: `adapters/sql/knex-image-key-index.ts`.
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
}

export const MAX_LISTINGS_PER_LOOKUP = 500;
