import type pg from 'pg';
import type { SourceSequences } from '../../../ports/monolith-source.ts';
import { SECONDARY_ID_OFFSET } from '../../../src/monolith-migration/mapping/index.ts';

/**
 * §3.13: each target sequence moves to GREATEST(the target's max id, the source sequence's last value), so ids the
 * monolith handed out (even to since-deleted rows) are never reused. Tables that also hold offset ids (images of
 * B2C products, C2C variants) count only ids below the offset.
 */
const SEQUENCES: readonly { table: string; source: string; belowOffset: boolean }[] = [
  { table: 'listings', source: 'global_product_id_seq', belowOffset: false },
  { table: 'storefronts', source: 'b2c_stores_id_seq', belowOffset: false },
  { table: 'c2c_categories', source: 'c2c_categories_id_seq', belowOffset: false },
  { table: 'inventory_movements', source: 'b2c_inventory_movements_id_seq', belowOffset: false },
  { table: 'listing_images', source: 'c2c_images_id_seq', belowOffset: true },
  { table: 'b2c_product_variants', source: 'b2c_product_variants_id_seq', belowOffset: true },
];

/** Target sequence name → the value it is (or would be) set to; `setval(seq, v)` makes the next id v + 1. */
export async function moveSequences(
  client: pg.ClientBase,
  source: SourceSequences,
  apply: boolean,
): Promise<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const { table, source: sourceSequence, belowOffset } of SEQUENCES) {
    const result = await client.query<{ sequence: string | null; max_id: string | null }>(
      `SELECT pg_get_serial_sequence($1, 'id') AS sequence,
              (SELECT max(id)::text FROM ${table} ${belowOffset ? `WHERE id < ${SECONDARY_ID_OFFSET}` : ''}) AS max_id`,
      [table],
    );
    const row = result.rows[0];
    if (!row?.sequence) continue;
    const value = Math.max(Number(row.max_id ?? 0), source[sourceSequence] ?? 0);
    values[row.sequence] = value;
    if (apply && value > 0) {
      // Never backwards: rows the service created meanwhile may have moved it further already.
      await client.query(
        `SELECT setval($1::regclass, GREATEST($2::bigint, (SELECT last_value FROM ${row.sequence})), true)`,
        [row.sequence, value],
      );
    }
  }
  return values;
}
