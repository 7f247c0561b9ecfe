import type { ChangeListingImages } from '../../../src/images/change-listing-images.ts';
import type { ImageQueries } from '../../../src/images/image-queries.ts';
import type { Handlers } from '../context.ts';
import { toListingImageMessage } from '../mappers/listing-messages.ts';
import { toNewImageInput } from '../mappers/listing-requests.ts';

export interface ImageHandlerDeps {
  readonly imageQueries: Pick<ImageQueries, 'get' | 'list'>;
  readonly changeListingImages: Pick<ChangeListingImages, 'add' | 'delete'>;
}

/**
 * Image metadata RPCs on `listing_images` (flaw #5: the original used a dropped table). Writes need the listing's
 * owner (or admin/service); reads follow the listing's visibility. No bytes move here: AddListingImage records
 * where an uploaded image is, DeleteListingImage removes the row only.
 */
export function imageHandlers(deps: ImageHandlerDeps): Partial<Handlers> {
  return {
    GetListingImage: async (request, { principal }) => ({
      image: toListingImageMessage(await deps.imageQueries.get(principal, { imageId: request.imageId })),
    }),
    DeleteListingImage: async (request, { principal }) => {
      await deps.changeListingImages.delete(principal, { imageId: request.imageId });
      return {};
    },
    AddListingImage: async (request, { principal }) => ({
      image: toListingImageMessage(await deps.changeListingImages.add(principal, toNewImageInput(request))),
    }),
    GetListingImages: async (request, { principal }) => {
      const images = await deps.imageQueries.list(principal, { listingId: request.listingId });
      return { images: images.map(toListingImageMessage) };
    },
  };
}
