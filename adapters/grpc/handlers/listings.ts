import type { CreateListing } from '../../../src/listings/create-listing.ts';
import { CREATE_LISTING_SCOPE } from '../../../src/listings/create-listing.ts';
import type { DeleteListing } from '../../../src/listings/delete-listing.ts';
import type { GetListing } from '../../../src/listings/get-listing.ts';
import type { ListListings } from '../../../src/listings/list-listings.ts';
import type { UpdateListing } from '../../../src/listings/update-listing.ts';
import type { Handlers } from '../context.ts';
import { CreateListingRequest } from '../generated/listings/v1/listings.ts';
import { toListingMessage } from '../mappers/listing-messages.ts';
import {
  toCreateListingInput,
  toDeleteListingInput,
  toListListingsInput,
  toUpdateListingInput,
} from '../mappers/listing-requests.ts';
import { idempotentCall } from './idempotency.ts';

export interface ListingHandlerDeps {
  readonly getListing: Pick<GetListing, 'execute'>;
  readonly createListing: Pick<CreateListing, 'execute'>;
  readonly updateListing: Pick<UpdateListing, 'execute'>;
  readonly deleteListing: Pick<DeleteListing, 'execute'>;
  readonly listListings: Pick<ListListings, 'execute'>;
}

/**
 * GetListing, CreateListing, UpdateListing, DeleteListing, ListListings. CreateListing answers with the stored row
 * (the original committed, then answered INTERNAL) and replays a retry that carries the same `idempotency-key`.
 */
export function listingHandlers(deps: ListingHandlerDeps): Partial<Handlers> {
  return {
    GetListing: async (request, { principal }) => ({
      listing: toListingMessage(await deps.getListing.execute(principal, { id: request.id })),
    }),
    CreateListing: async (request, context) => {
      const encoded = CreateListingRequest.encode(request).finish();
      const idempotency = idempotentCall(context, CREATE_LISTING_SCOPE, encoded);
      const input = toCreateListingInput(request);
      const { listing } = await deps.createListing.execute(context.principal, input, idempotency);
      return { listing: toListingMessage(listing) };
    },
    UpdateListing: async (request, { principal }) => {
      const { listing } = await deps.updateListing.execute(principal, toUpdateListingInput(request));
      return { listing: toListingMessage(listing) };
    },
    DeleteListing: async (request, { principal }) => {
      await deps.deleteListing.execute(principal, toDeleteListingInput(request));
      return { success: true };
    },
    ListListings: async (request, { principal }) => {
      const page = await deps.listListings.execute(principal, toListListingsInput(request));
      return { listings: page.listings.map(toListingMessage), total: page.total };
    },
  };
}
