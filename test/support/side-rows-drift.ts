import type { Knex } from 'knex';
import { KnexSideRowsCopy } from '../../adapters/sql/knex-side-rows-copy.ts';

/**
 * Listings (all of them, or those among `ids`) whose `listing_side_rows` copy differs from what their side tables
 * give now, as `listings validate` finds them (SideRowsCopy, with its own contract suite).
 */
export async function listingsWithDriftedSideRows(knex: Knex, ids?: readonly number[]): Promise<number[]> {
  const copy = new KnexSideRowsCopy(knex);
  const drifted: number[] = [];
  let afterId: number | null = 0;
  while (afterId !== null) {
    const batch = await copy.findDrifted(afterId, 1000);
    drifted.push(...batch.drifted);
    afterId = batch.nextAfterId;
  }
  return ids === undefined ? drifted : drifted.filter((id) => ids.includes(id));
}
