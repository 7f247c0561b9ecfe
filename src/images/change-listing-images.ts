import type { Principal } from '../../ports/principal.ts';
import type { TransactionScope, UnitOfWork } from '../../ports/unit-of-work.ts';
import { assertAuthenticated, assertListingOwner } from '../domain/access.ts';
import { validationError } from '../domain/errors.ts';
import {
  becomesPrimary,
  type ListingImage,
  MAX_IMAGES_PER_LISTING,
  type NewImageInput,
  primaryAfterDelete,
  validateNewImage,
} from '../domain/image.ts';
import { isSearchable, type Listing } from '../domain/listing.ts';
import type { ListingCache } from '../listings/listing-cache.ts';
import { listingNotFound } from '../listings/listing-checks.ts';
import { requireId } from '../shared/require-id.ts';
import { imageNotFound } from './image-errors.ts';

export interface ChangeListingImagesDeps {
  readonly uow: UnitOfWork;
  readonly cache: ListingCache;
}

/**
 * Image metadata writes: AddListingImage (no upload: the bytes are stored elsewhere, this records the row),
 * DeleteListingImage, set primary, reorder. Each runs in one transaction that locks the listing row, checks that the
 * caller owns it (or is an admin or service), keeps exactly one primary image (`image.ts`), and enqueues an
 * `update` for the listing (images are in the index document); the listing's cache entry is invalidated after the
 * commit.
 */
export class ChangeListingImages {
  readonly #deps: ChangeListingImagesDeps;

  constructor(deps: ChangeListingImagesDeps) {
    this.#deps = deps;
  }

  /** AddListingImage: `url is required`; at most 30 images per listing. The first image becomes primary. */
  async add(caller: Principal | undefined, input: NewImageInput): Promise<ListingImage> {
    assertAuthenticated(caller);
    const image = validateNewImage(input);
    return this.#write(caller, image.listingId, async (tx) => {
      const existing = await tx.images.listByListing(image.listingId);
      if (existing.length >= MAX_IMAGES_PER_LISTING) {
        const message = `a listing can have at most ${MAX_IMAGES_PER_LISTING} images`;
        throw validationError([{ field: 'listing_id', reason: 'too_many', message }]);
      }
      return tx.images.insert({ ...image, isPrimary: becomesPrimary(image.isPrimary, existing) });
    });
  }

  /**
   * DeleteListingImage: removes the row (the original answered INTERNAL for a missing one: IMAGE_NOT_FOUND here);
   * deleting the primary promotes the next image. Returns the deleted row, whose `storageKey` names the object the
   * caller may remove from storage once this has committed.
   */
  async delete(caller: Principal | undefined, input: { readonly imageId: number }): Promise<ListingImage> {
    assertAuthenticated(caller);
    const imageId = requireId('image_id', 'image', input.imageId);
    return this.#writeImage(caller, imageId, async (tx, image) => {
      await tx.images.delete(imageId);
      const promoted = primaryAfterDelete(image, await tx.images.listByListing(image.listingId));
      if (promoted !== null) await tx.images.setPrimary(image.listingId, promoted);
      return image;
    });
  }

  /** Makes the image its listing's only primary image; returns the listing's images in display order. */
  async setPrimary(caller: Principal | undefined, input: { readonly imageId: number }): Promise<ListingImage[]> {
    assertAuthenticated(caller);
    const imageId = requireId('image_id', 'image', input.imageId);
    return this.#writeImage(caller, imageId, async (tx, image) => {
      await tx.images.setPrimary(image.listingId, imageId);
      return tx.images.listByListing(image.listingId);
    });
  }

  /**
   * Reorder: checks the caller and that `imageIds` is exactly the listing's images, then answers NOT_IMPLEMENTED:
   * ImageRepository has no way to write `display_order` (a port gap; deleting and re-inserting would change ids).
   */
  async reorder(
    caller: Principal | undefined,
    input: { readonly listingId: number; readonly imageIds: readonly number[] },
  ): Promise<ListingImage[]> {
    assertAuthenticated(caller);
    const listingId = requireId('listing_id', 'listing', input.listingId);
    return this.#write(caller, listingId, async (tx) => {
      const existing = await tx.images.listByListing(listingId);
      const wanted = new Set(input.imageIds);
      const same = wanted.size === input.imageIds.length && existing.every((image) => wanted.has(image.id));
      if (!same || wanted.size !== existing.length) {
        const message = "image_ids must list each of the listing's images exactly once";
        throw validationError([{ field: 'image_ids', reason: 'invalid_format', message }]);
      }
      await tx.images.reorder(listingId, input.imageIds);
      return tx.images.listByListing(listingId);
    });
  }

  /** Loads the image (IMAGE_NOT_FOUND), then writes under its listing. */
  #writeImage<T>(
    caller: Principal,
    imageId: number,
    work: (tx: TransactionScope, image: ListingImage) => Promise<T>,
  ): Promise<T> {
    return this.#transaction(async (tx) => {
      const image = await tx.images.findById(imageId);
      if (image === null) throw imageNotFound(imageId);
      const listing = await lockOwnedListing(tx, caller, image.listingId);
      return { listing, value: await work(tx, image) };
    });
  }

  #write<T>(caller: Principal, listingId: number, work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    return this.#transaction(async (tx) => {
      const listing = await lockOwnedListing(tx, caller, listingId);
      return { listing, value: await work(tx) };
    });
  }

  /** One transaction, the listing's `update` outbox entry in it, cache invalidation after it. */
  async #transaction<T>(
    work: (tx: TransactionScope) => Promise<{ readonly listing: Listing; readonly value: T }>,
  ): Promise<T> {
    const { uow, cache } = this.#deps;
    const done = await uow.run(async (tx) => {
      const result = await work(tx);
      // Image rows do not raise the listing's version (no port call touches it): the entry carries the current one.
      const { id, version } = result.listing;
      await tx.outbox.enqueue([{ listingId: id, version, operation: 'update' }]);
      return result;
    });
    await cache.invalidate(done.listing.id, { search: isSearchable(done.listing) });
    return done.value;
  }
}

/** Locks the live listing for the rest of the transaction (concurrent image writes queue) and checks the owner. */
async function lockOwnedListing(tx: TransactionScope, caller: Principal, listingId: number): Promise<Listing> {
  const listing = await tx.listings.findRow(listingId, { forUpdate: true });
  if (listing === null) throw listingNotFound(listingId);
  assertListingOwner(caller, listing);
  return listing;
}
