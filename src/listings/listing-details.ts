import type { Listing, ListingDetails } from '../domain/listing.ts';

/** A row that has no side rows yet (just created): the same shape every listing answer has. */
export function withoutRelations(listing: Listing): ListingDetails {
  return { ...listing, images: [], attributeEntries: [], tags: [], location: null };
}
