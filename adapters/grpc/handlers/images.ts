import type { Handlers } from '../context.ts';
import { toListingImageMessage } from '../mappers/listing-messages.ts';
import { toNewImageInput } from '../mappers/listing-requests.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * Image metadata RPCs on `listing_images` (flaw #5: the original used a dropped table). Writes need the listing's
 * owner (or admin/service); reads follow the listing's visibility. AddListingImage records where an uploaded image
 * is (no bytes move); DeleteListingImage removes the row, and its stored objects when the composition root passes
 * `DeleteStoredImage` as `images.delete`.
 */
export function imageHandlers({ images }: Pick<GrpcUseCases, 'images'>): Partial<Handlers> {
  return {
    GetListingImage: async (request, { principal }) => ({
      image: toListingImageMessage(await images.queries.get(principal, { imageId: request.imageId })),
    }),
    DeleteListingImage: async (request, { principal }) => {
      await images.delete.delete(principal, { imageId: request.imageId });
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
