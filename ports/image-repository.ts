import type { ListingImage, NewImage } from '../src/domain/image.ts';

/**
 * Image metadata rows (`listing_images`): GetListingImage, GetListingImages, AddListingImage, DeleteListingImage.
 * The bytes are the object store's concern; this port never touches them.
 *
 * Guarantees an adapter must keep:
 * - At most one `is_primary` row per listing: {@link insert} with `isPrimary` and {@link setPrimary} clear the
 *   listing's other primaries in the same transaction. Which image is primary is decided by `image.ts`.
 * - Lists are ordered primary first, then `display_order`, then id.
 * - Inserting for a listing that does not exist (or is deleted) → `LISTING_NOT_FOUND`.
 */
export interface ImageRepository {
  findById(imageId: number): Promise<ListingImage | null>;

  listByListing(listingId: number): Promise<ListingImage[]>;

  count(listingId: number): Promise<number>;

  /** Inserts the row and returns it as stored (id, timestamps). */
  insert(image: NewImage): Promise<ListingImage>;

  /** Removes the row; returns it as it was, or null when there was none. */
  delete(imageId: number): Promise<ListingImage | null>;

  /** Makes `imageId` the listing's only primary image (`null`: none). */
  setPrimary(listingId: number, imageId: number | null): Promise<void>;

  /**
   * Sets `display_order` to each image's position (0, 1, 2…) in `orderedIds`, which the caller has checked to name
   * exactly the listing's images. Rows of other listings are never touched.
   */
  reorder(listingId: number, orderedIds: readonly number[]): Promise<void>;
}
