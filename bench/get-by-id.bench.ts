// GetListing (cache off) on real PostgreSQL vs a raw `pg` prepared primary-key query: same pool size, same
// concurrency, ids drawn from the same generator, measured in alternation (raw, ours, raw, ours...; every round
// printed, the table shows their medians). Issue target: >= 70 % of raw pg ops/s. A third, informational row runs
// GetListing's own five-table statement on the bare pool: how much of the gap is the SQL and how much our code.
import pg from 'pg';
import { buildCoreUseCases } from '../adapters/composition/core-use-cases.ts';
import { PgSearchIndex } from '../adapters/pgsearch/pg-search-index.ts';
import { createPostgresKnex } from '../adapters/postgres/postgres-knex.ts';
import { FIND_LISTING_BY_ID } from '../adapters/sql/listing-by-id.ts';
import { NO_METRICS } from '../ports/core-metrics.ts';
import { measureAlternating, ROUNDS, roundLines } from './support/alternating.ts';
import type { BenchDatabase } from './support/database.ts';
import type { LoadResult } from './support/load.ts';
import { pick } from './support/load.ts';
import type { BenchReport } from './support/report.ts';
import type { BenchSettings } from './support/settings.ts';

const CONCURRENCY = 16;
const POOL_SIZE = 16;

export async function run(db: BenchDatabase, settings: BenchSettings): Promise<BenchReport> {
  const load = { ...settings, concurrency: CONCURRENCY };
  const pool = new pg.Pool({ connectionString: db.url, max: POOL_SIZE });
  const knex = createPostgresKnex({ url: db.url, poolMax: POOL_SIZE });
  try {
    const core = buildCoreUseCases({
      knex,
      cache: undefined,
      metrics: NO_METRICS,
      searchIndex: new PgSearchIndex({ knex }),
    });
    const measured = await measureAlternating(
      [
        {
          label: 'raw pg prepared query (baseline)',
          call: () =>
            pool.query({
              name: 'get_listing',
              text: 'SELECT * FROM listings WHERE id = $1 AND is_deleted = false',
              values: [pick(db.listingIds)],
            }),
        },
        {
          label: 'raw pg, the five-table statement',
          call: () => pool.query({ ...FIND_LISTING_BY_ID, values: [pick(db.listingIds)] }),
        },
        {
          label: 'GetListing use case, cache off',
          call: () => core.listings.get.execute(undefined, { id: pick(db.listingIds) }),
        },
      ],
      load,
    );
    const [raw, rawFull, ours] = measured.rows as [LoadResult, LoadResult, LoadResult];
    return {
      title: 'get-by-id: GetListing use case vs raw pg (PostgreSQL 15)',
      setup: `${CONCURRENCY} in flight, pools of ${POOL_SIZE}, ${db.listingIds.length} listings, random ids, ${ROUNDS} alternating rounds of ${settings.durationMs / 1000} s after ${settings.warmupMs / 1000} s warm-up (medians)`,
      rows: [raw, rawFull, ours],
      comparisons: [
        { what: 'GetListing ops/s', check: { kind: 'ratio', ours: ours.label, baseline: raw.label, min: 0.7 } },
        { what: 'the five-table statement alone', check: { kind: 'none', ours: rawFull.label, baseline: raw.label } },
      ],
      notes: roundLines(measured),
    };
  } finally {
    await knex.destroy();
    await pool.end();
  }
}
