// GetListing (cache off) on real PostgreSQL vs a raw `pg` prepared primary-key query: same pool size, same
// concurrency, ids drawn from the same generator. Issue target: >= 70 % of raw pg ops/s.
import pg from 'pg';
import { buildCoreUseCases } from '../adapters/composition/core-use-cases.ts';
import { PgSearchIndex } from '../adapters/pgsearch/pg-search-index.ts';
import { createPostgresKnex } from '../adapters/postgres/postgres-knex.ts';
import { NO_METRICS } from '../ports/core-metrics.ts';
import type { BenchDatabase } from './support/database.ts';
import { measure, pick } from './support/load.ts';
import type { BenchReport } from './support/report.ts';
import type { BenchSettings } from './support/settings.ts';

const CONCURRENCY = 16;
const POOL_SIZE = 16;

export async function run(db: BenchDatabase, settings: BenchSettings): Promise<BenchReport> {
  const load = { ...settings, concurrency: CONCURRENCY };
  const pool = new pg.Pool({ connectionString: db.url, max: POOL_SIZE });
  const knex = createPostgresKnex({ url: db.url, poolMax: POOL_SIZE });
  try {
    const raw = await measure(
      'raw pg prepared query (baseline)',
      () =>
        pool.query({
          name: 'get_listing',
          text: 'SELECT * FROM listings WHERE id = $1 AND is_deleted = false',
          values: [pick(db.listingIds)],
        }),
      load,
    );
    const core = buildCoreUseCases({
      knex,
      cache: undefined,
      metrics: NO_METRICS,
      searchIndex: new PgSearchIndex({ knex }),
    });
    const ours = await measure(
      'GetListing use case, cache off',
      () => core.listings.get.execute(undefined, { id: pick(db.listingIds) }),
      load,
    );
    return {
      title: 'get-by-id: GetListing use case vs raw pg (PostgreSQL 15)',
      setup: `${CONCURRENCY} in flight, pools of ${POOL_SIZE}, ${db.listingIds.length} listings, random ids, ${settings.durationMs / 1000} s after ${settings.warmupMs / 1000} s warm-up`,
      rows: [raw, ours],
      comparisons: [
        { what: 'GetListing ops/s', check: { kind: 'ratio', ours: ours.label, baseline: raw.label, min: 0.7 } },
      ],
    };
  } finally {
    await knex.destroy();
    await pool.end();
  }
}
