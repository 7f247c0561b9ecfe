/**
 * Loads the current rows (live ones, with side rows) of the listings a claimed batch names.
 *
 * ListingRepository has no "find these ids" read, so this uses what it has: ids that sit close together are read
 * with one keyset `listForReindex` window (`scope: 'live'`, ids > first − 1, as many rows as the window spans), and
 * isolated ids with `findById`, a few at a time. Fresh writes have neighbouring ids, so a batch of new listings is
 * usually one or two windows. A `findManyByIds(ids)` on the port would make every batch one call.
 */
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { ListingDetails } from '../domain/listing.ts';

/** The most rows one `listForReindex` call returns (the port's bound). */
const WINDOW_MAX_SPAN = 1000;
/** A window may read at most this many rows per id it needs (rows in between are read and dropped). */
const WINDOW_ROWS_PER_ID = 4;
/** Concurrent `findById` reads for isolated ids (each holds a pool connection). */
const SINGLE_READS_IN_FLIGHT = 4;

/** Live listings by id; an id missing from the map has no live row (never existed, hard- or soft-deleted). */
export async function loadCurrentListings(
  listings: ListingRepository,
  ids: readonly number[],
): Promise<Map<number, ListingDetails>> {
  const found = new Map<number, ListingDetails>();
  const wanted = new Set(ids);
  const singles: number[] = [];
  for (const window of idWindows([...wanted].sort((a, b) => a - b))) {
    if (window.length === 1) {
      singles.push(window[0] as number);
      continue;
    }
    const first = window[0] as number;
    const span = (window.at(-1) as number) - first + 1;
    const batch = await listings.listForReindex({ afterId: first - 1, limit: span, scope: 'live' });
    for (const listing of batch.items) if (wanted.has(listing.id)) found.set(listing.id, listing);
  }
  for (let start = 0; start < singles.length; start += SINGLE_READS_IN_FLIGHT) {
    const chunk = singles.slice(start, start + SINGLE_READS_IN_FLIGHT);
    const rows = await Promise.all(chunk.map((id) => listings.findById(id)));
    for (const row of rows) if (row !== null) found.set(row.id, row);
  }
  return found;
}

/** Groups sorted ids greedily into windows dense enough to read as one id range. */
export function idWindows(sorted: readonly number[]): number[][] {
  const windows: number[][] = [];
  let current: number[] = [];
  for (const id of sorted) {
    const first = current[0];
    const span = first === undefined ? 1 : id - first + 1;
    if (first === undefined || (span <= WINDOW_MAX_SPAN && span <= WINDOW_ROWS_PER_ID * (current.length + 1))) {
      current.push(id);
    } else {
      windows.push(current);
      current = [id];
    }
  }
  if (current.length > 0) windows.push(current);
  return windows;
}
