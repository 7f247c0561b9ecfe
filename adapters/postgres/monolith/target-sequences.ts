import type pg from 'pg';
import {
  SECONDARY_ID_OFFSET,
  type SequencedTable,
  type SequenceSetting,
} from '../../../src/monolith-migration/mapping/index.ts';

/** Target tables whose id sequence §3.13 moves; `true`: ids at or above the offset are not the sequence's. */
const SEQUENCED: Readonly<Record<SequencedTable, boolean>> = {
  listings: false,
  storefronts: false,
  c2c_categories: false,
  inventory_movements: false,
  listing_images: true,
  b2c_product_variants: true,
};

export async function sequenceMaxima(client: pg.ClientBase): Promise<Record<SequencedTable, string>> {
  const maxima = {} as Record<SequencedTable, string>;
  for (const [table, belowOffset] of Object.entries(SEQUENCED) as [SequencedTable, boolean][]) {
    const result = await client.query<{ max_id: string | null }>(
      `SELECT max(id)::text AS max_id FROM ${table} ${belowOffset ? `WHERE id < ${SECONDARY_ID_OFFSET}` : ''}`,
    );
    maxima[table] = result.rows[0]?.max_id ?? '0';
  }
  return maxima;
}

/** `setval` on each table's own id sequence; never backwards (the service may have moved it further already). */
export async function setSequences(client: pg.ClientBase, settings: readonly SequenceSetting[]): Promise<void> {
  for (const setting of settings) {
    const found = await client.query<{ sequence: string | null }>(
      `SELECT pg_get_serial_sequence($1, 'id') AS sequence`,
      [setting.table],
    );
    const sequence = found.rows[0]?.sequence;
    if (!sequence) continue;
    await client.query(
      `SELECT CASE WHEN s.last_value > $2::bigint AND s.is_called THEN NULL
                   ELSE setval($1::regclass, $2::bigint, $3) END
       FROM ${sequence} s`,
      [sequence, setting.value, setting.isCalled],
    );
  }
}
