import type { ListingDetails } from '../../../src/domain/listing.ts';
import { CREATE_LISTING_SCOPE } from '../../../src/listings/create-listing.ts';
import type { Handlers } from '../context.ts';
import { CreateListingRequest } from '../generated/listings/v1/listings.ts';
import { toListingMessage } from '../mappers/listing-messages.ts';
import {
  toCreateListingInput,
  toDeleteListingInput,
  toListListingsInput,
  toUpdateListingInput,
} from '../mappers/listing-requests.ts';
import { builtOncePerSharedValue } from '../mappers/shared-messages.ts';
import { idempotentCall } from './idempotency.ts';
import type { GrpcUseCases } from './use-cases.ts';

/** A cached listing is one frozen value shared by its readers: its response is built (and encoded) once. */
const getListingResponse = builtOncePerSharedValue((listing: ListingDetails) => ({
  listing: toListingMessage(listing),
}));

/**
 * GetListing, CreateListing, UpdateListing, DeleteListing, ListListings. CreateListing answers with the stored row
 * (the original committed, then answered INTERNAL) and replays a retry that carries the same `idempotency-key`.
 */
export function listingHandlers({ listings }: Pick<GrpcUseCases, 'listings'>): Partial<Handlers> {
  return {
    // Not async: the use case's promise carries the answer, one promise and one turn fewer per call.
    GetListing: (request, { principal }) =>
      listings.get.execute(principal, { id: request.id }).then(getListingResponse),
    CreateListing: async (request, context) => {
      const encoded = CreateListingRequest.encode(request).finish();
      const idempotency = idempotentCall(context, CREATE_LISTING_SCOPE, encoded);
      const input = toCreateListingInput(request);
      const { listing } = await listings.create.execute(context.principal, input, idempotency);
      return { listing: toListingMessage(listing) };
    },
    UpdateListing: async (request, { principal }) => {
      const { listing } = await listings.update.execute(principal, toUpdateListingInput(request));
      return { listing: toListingMessage(listing) };
    },
    DeleteListing: async (request, { principal }) => {
      await listings.delete.execute(principal, toDeleteListingInput(request));
      return { success: true };
    },
    ListListings: async (request, { principal }) => {
      const page = await listings.list.execute(principal, toListListingsInput(request));
      return { listings: page.listings.map(toListingMessage), total: page.total };
    },
  };
}
