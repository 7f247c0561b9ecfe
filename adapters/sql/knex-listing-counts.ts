import type { Knex } from 'knex';
import type { ListingCounts } from '../../ports/listing-counts.ts';
import type { BucketCounts } from '../../ports/search-index-maintenance.ts';
import { PlainSqlSession, type SqlSession } from './sql-session.ts';

interface BucketRow {
  readonly kind: 'status' | 'category';
  readonly bucket: string | null;
  readonly count: string | number;
}

/**
 * ListingCounts on knex: one grouped statement (GROUPING SETS), so the status and category counts come from one
 * snapshot; the searchable predicate is `listForReindex`'s default scope.
 */
export class KnexListingCounts implements ListingCounts {
  readonly #session: SqlSession;

  constructor(knex: Knex) {
    this.#session = new PlainSqlSession(knex);
  }

  searchable(): Promise<BucketCounts> {
    return this.#session.query(async (db) => {
      const found = (await db.raw(
        `SELECT CASE WHEN GROUPING(status) = 0 THEN 'status' ELSE 'category' END AS kind,
                COALESCE(status, category_id::text) AS bucket, count(*) AS count
         FROM listings WHERE NOT is_deleted AND status = 'active' AND visibility = 'public'
         GROUP BY GROUPING SETS ((status), (category_id))`,
      )) as { rows: BucketRow[] };
      const byStatus: Record<string, number> = {};
      const byCategory: Record<string, number> = {};
      for (const row of found.rows) {
        (row.kind === 'status' ? byStatus : byCategory)[row.bucket ?? 'none'] = Number(row.count);
      }
      return { total: Object.values(byStatus).reduce((sum, count) => sum + count, 0), byStatus, byCategory };
    });
  }
}
