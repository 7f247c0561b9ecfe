import type { Knex } from 'knex';

/**
 * Listings (all of them, or those of `ids`) whose `listing_side_rows` row differs from what
 * `listing_side_rows_expected` computes from the side tables now (migration 20261126030000). A listing without any
 * side row needs no row; one whose row is missing while it has side rows counts as differing.
 */
export async function listingsWithDriftedSideRows(knex: Knex, ids?: readonly number[]): Promise<number[]> {
  const result = (await knex.raw(
    `SELECT e.listing_id::text AS listing_id
     FROM listing_side_rows_expected(${ids === undefined ? 'ARRAY(SELECT id FROM listings)' : '?::bigint[]'}) e
     LEFT JOIN listing_side_rows s ON s.listing_id = e.listing_id
     WHERE CASE WHEN s.listing_id IS NULL
       THEN e.images::text <> '[]' OR e.attributes::text <> '[]' OR e.tags::text <> '[]' OR e.location IS NOT NULL
       ELSE (e.images::text, e.attributes::text, e.tags::text, e.location::text)
            IS DISTINCT FROM (s.images::text, s.attributes::text, s.tags::text, s.location::text)
     END
     ORDER BY e.listing_id`,
    ids === undefined ? [] : [[...ids]],
  )) as { rows: { listing_id: string }[] };
  return result.rows.map((row) => Number(row.listing_id));
}
