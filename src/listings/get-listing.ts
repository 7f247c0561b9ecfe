import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { Principal } from '../../ports/principal.ts';
import type { ListingDetails } from '../domain/listing.ts';
import { requireId } from '../shared/require-id.ts';
import type { ListingCache } from './listing-cache.ts';
import { listingNotFound } from './listing-checks.ts';
import { canView } from './listing-visibility.ts';

export interface GetListingDeps {
  readonly listings: ListingRepository;
  readonly cache: ListingCache;
}

export interface GetListingInput {
  readonly id: number;
}

/**
 * GetListing: a live listing with its side rows, read through the listing cache. The cache holds the row whatever
 * its visibility; who may see it is decided per caller after the read, so one entry serves everybody. A listing the
 * caller may not see is reported as missing (LISTING_NOT_FOUND `listing not found: <id>`), never as forbidden.
 */
export class GetListing {
  readonly #deps: GetListingDeps;

  constructor(deps: GetListingDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: GetListingInput): Promise<ListingDetails> {
    const id = requireId('id', 'listing', input.id);
    const { listings, cache } = this.#deps;
    const listing = await cache.read(id, () => listings.findById(id));
    if (listing === null || !canView(caller, listing)) throw listingNotFound(id);
    return listing;
  }
}
