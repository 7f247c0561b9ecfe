import type { ImageRepository } from '../../ports/image-repository.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { Principal } from '../../ports/principal.ts';
import { type ListingImage, sortImages } from '../domain/image.ts';
import { listingNotFound } from '../listings/listing-checks.ts';
import { canView } from '../listings/listing-visibility.ts';
import { requireId } from '../shared/require-id.ts';
import { imageNotFound } from './image-errors.ts';

export interface ImageQueriesDeps {
  readonly images: ImageRepository;
  readonly listings: ListingRepository;
}

/**
 * GetListingImage and GetListingImages (metadata rows of `listing_images`). An image is visible to whoever may see
 * its listing (`listing-visibility.ts`); otherwise it reads as missing.
 */
export class ImageQueries {
  readonly #deps: ImageQueriesDeps;

  constructor(deps: ImageQueriesDeps) {
    this.#deps = deps;
  }

  /** IMAGE_NOT_FOUND `image not found: <id>`. */
  async get(caller: Principal | undefined, input: { readonly imageId: number }): Promise<ListingImage> {
    const imageId = requireId('image_id', 'image', input.imageId);
    const image = await this.#deps.images.findById(imageId);
    if (image === null) throw imageNotFound(imageId);
    const listing = await this.#deps.listings.findRow(image.listingId);
    if (listing === null || !canView(caller, listing)) throw imageNotFound(imageId);
    return image;
  }

  /** Primary first, then display order, then id. LISTING_NOT_FOUND when the listing is missing or hidden. */
  async list(caller: Principal | undefined, input: { readonly listingId: number }): Promise<ListingImage[]> {
    const listingId = requireId('listing_id', 'listing', input.listingId);
    const listing = await this.#deps.listings.findRow(listingId);
    if (listing === null || !canView(caller, listing)) throw listingNotFound(listingId);
    return sortImages(await this.#deps.images.listByListing(listingId));
  }
}
