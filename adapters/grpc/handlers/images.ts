import type { Handlers } from '../context.ts';
import { toListingImageMessage } from '../mappers/listing-messages.ts';
import { toNewImageInput } from '../mappers/listing-requests.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * Image metadata RPCs on `listing_images` (flaw #5: the original used a dropped table). Writes need the listing's
 * owner (or admin/service); reads follow the listing's visibility. No bytes move here: AddListingImage records
 * where an uploaded image is, DeleteListingImage removes the row only.
 */
export function imageHandlers({ images }: Pick<GrpcUseCases, 'images'>): Partial<Handlers> {
  return {
    GetListingImage: async (request, { principal }) => ({
      image: toListingImageMessage(await images.queries.get(principal, { imageId: request.imageId })),
    }),
    DeleteListingImage: async (request, { principal }) => {
      await images.change.delete(principal, { imageId: request.imageId });
      return {};
    },
    AddListingImage: async (request, { principal }) => ({
      image: toListingImageMessage(await images.change.add(principal, toNewImageInput(request))),
    }),
    GetListingImages: async (request, { principal }) => {
      const found = await images.queries.list(principal, { listingId: request.listingId });
      return { images: found.map(toListingImageMessage) };
    },
  };
}
