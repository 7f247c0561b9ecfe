import type { Knex } from 'knex';
import type { SideRowsCopy, SideRowsCopyBatch } from '../../ports/side-rows-copy.ts';
import { PlainSqlSession, type SqlSession } from './sql-session.ts';

/**
 * SideRowsCopy on `listing_side_rows` (migration 20261126030000): compared with `listing_side_rows_expected`, which
 * aggregates the side tables as the triggers do, in the same statement (one snapshot, so a write in flight is seen
 * on both sides or on neither). A listing without side rows needs no copy row.
 */
const FIND_DRIFTED = `
  WITH batch AS (SELECT id FROM listings WHERE id > ? ORDER BY id LIMIT ?)
  SELECT (SELECT count(*) FROM batch)::int AS examined, (SELECT max(id) FROM batch)::text AS last_id,
    ARRAY(
      SELECT e.listing_id::text
      FROM listing_side_rows_expected(ARRAY(SELECT id FROM batch)) e
      LEFT JOIN listing_side_rows s ON s.listing_id = e.listing_id
      WHERE CASE WHEN s.listing_id IS NULL
        THEN e.images::text <> '[]' OR e.attributes::text <> '[]' OR e.tags::text <> '[]' OR e.location IS NOT NULL
        ELSE (e.images::text, e.attributes::text, e.tags::text, e.location::text)
             IS DISTINCT FROM (s.images::text, s.attributes::text, s.tags::text, s.location::text)
      END
      ORDER BY e.listing_id) AS drifted`;

interface DriftRow {
  readonly examined: number;
  readonly last_id: string | null;
  readonly drifted: readonly string[];
}

export class KnexSideRowsCopy implements SideRowsCopy {
  readonly #session: SqlSession;

  constructor(knex: Knex) {
    this.#session = new PlainSqlSession(knex);
  }

  findDrifted(afterId: number, limit: number): Promise<SideRowsCopyBatch> {
    const size = Math.max(1, Math.min(1000, Math.trunc(limit)));
    return this.#session.query(async (db) => {
      const result = (await db.raw(FIND_DRIFTED, [afterId, size])) as { rows: DriftRow[] };
      const row = result.rows[0] as DriftRow;
      return {
        examined: row.examined,
        drifted: row.drifted.map(Number),
        nextAfterId: row.examined === size && row.last_id !== null ? Number(row.last_id) : null,
      };
    });
  }

  async rebuild(listingIds: readonly number[]): Promise<void> {
    if (listingIds.length === 0) return;
    await this.#session.query((db) =>
      db.raw('SELECT listing_side_rows_refresh_all(?::bigint[])', [[...new Set(listingIds)]]),
    );
  }
}
