/**
 * Loads the current rows (live ones, with side rows) of the listings a claimed batch names: one
 * `ListingRepository.findManyByIds` read per 1000 ids, whatever ids they are. (It replaced keyset windows of
 * `listForReindex` plus `findById` for isolated ids: seven round trips for a batch of fresh neighbouring ids, and
 * one read per id, four at a time, for a batch of scattered ones.)
 */
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { ListingDetails } from '../domain/listing.ts';

/** Ids per read: the port's bound. */
const IDS_PER_READ = 1000;

/** Live listings by id; an id missing from the map has no live row (never existed, hard- or soft-deleted). */
export async function loadCurrentListings(
  listings: ListingRepository,
  ids: readonly number[],
): Promise<Map<number, ListingDetails>> {
  const found = new Map<number, ListingDetails>();
  const wanted = [...new Set(ids)];
  for (let start = 0; start < wanted.length; start += IDS_PER_READ) {
    for (const listing of await listings.findManyByIds(wanted.slice(start, start + IDS_PER_READ))) {
      found.set(listing.id, listing);
    }
  }
  return found;
}
