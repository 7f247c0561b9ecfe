// GetListing (cache off) on real PostgreSQL vs a raw `pg` prepared primary-key query on the same connection pool
// (knex's, which the use case uses: a connection checked out, the named statement run on its pg.Client, the connection
// returned), same concurrency, ids drawn from the same generator, measured in alternation (every round printed, the
// table shows their medians). Issue target: >= 70 % of that baseline's ops/s, on the seeded listings. Listings
// carrying 3 images, 4 attributes, 2 tags and a location (what a marketplace listing looks like) are measured too and
// printed against the same baseline and against their own statement run raw, without a target: the baseline reads
// only the listing's own row, GetListing also 2.6 KB of side rows. Informational rows: the
// same raw query on a bare pg.Pool (what the pool itself costs), and GetListing's own statement (the listing joined
// with its trigger-kept side rows) run raw on the same pool (how much of the gap is the SQL and how much our code).
import type { Knex } from 'knex';
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
import { seedListingsWithSideRows } from './support/side-rows.ts';

const CONCURRENCY = 16;
const POOL_SIZE = 16;
const WITH_SIDE_ROWS = 1000;
const RAW_QUERY = { name: 'get_listing', text: 'SELECT * FROM listings WHERE id = $1 AND is_deleted = false' };

/** The part of knex's client that lends connections (its tarn pool); a connection is node-postgres's Client. */
interface KnexPool {
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(connection: pg.Client): Promise<void>;
}

/** `query` run raw on a connection of knex's own pool: the pool GetListing uses, without any of our code. */
async function onKnexPool(knex: Knex, query: pg.QueryConfig): Promise<pg.QueryResult> {
  const pool = knex.client as KnexPool;
  const connection = await pool.acquireConnection();
  try {
    return await connection.query(query);
  } finally {
    await pool.releaseConnection(connection);
  }
}

export async function run(db: BenchDatabase, settings: BenchSettings): Promise<BenchReport> {
  const load = { ...settings, concurrency: CONCURRENCY };
  const pool = new pg.Pool({ connectionString: db.url, max: POOL_SIZE });
  const knex = createPostgresKnex({ url: db.url, poolMax: POOL_SIZE });
  try {
    const fullIds = await seedListingsWithSideRows(knex, db.listingIds, WITH_SIDE_ROWS);
    const core = buildCoreUseCases({
      knex,
      cache: undefined,
      metrics: NO_METRICS,
      searchIndex: new PgSearchIndex({ knex }),
    });
    const measured = await measureAlternating(
      [
        {
          label: 'raw pg prepared query, same pool (baseline)',
          call: () => onKnexPool(knex, { ...RAW_QUERY, values: [pick(db.listingIds)] }),
        },
        {
          label: 'raw pg prepared query, bare pg.Pool',
          call: () => pool.query({ ...RAW_QUERY, values: [pick(db.listingIds)] }),
        },
        {
          label: "raw pg, GetListing's statement, with side rows",
          call: () => onKnexPool(knex, { ...FIND_LISTING_BY_ID, values: [pick(fullIds)] }),
        },
        {
          label: 'GetListing use case, cache off, no side rows',
          call: () => core.listings.get.execute(undefined, { id: pick(db.listingIds) }),
        },
        {
          label: 'GetListing, 3 images, 4 attributes, 2 tags, location',
          call: () => core.listings.get.execute(undefined, { id: pick(fullIds) }),
        },
      ],
      load,
    );
    const [raw, bare, rawFull, ours, oursFull] = measured.rows as [
      LoadResult,
      LoadResult,
      LoadResult,
      LoadResult,
      LoadResult,
    ];
    return {
      title: 'get-by-id: GetListing use case vs raw pg (PostgreSQL 15)',
      setup: `${CONCURRENCY} in flight, pools of ${POOL_SIZE}, ${db.listingIds.length} listings (+ ${fullIds.length} with side rows), random ids, ${ROUNDS} alternating rounds of ${settings.durationMs / 1000} s after ${settings.warmupMs / 1000} s warm-up (medians)`,
      rows: [raw, bare, rawFull, ours, oursFull],
      comparisons: [
        { what: 'GetListing ops/s', check: { kind: 'ratio', ours: ours.label, baseline: raw.label, min: 0.7 } },
        {
          what: 'GetListing with side rows, against the primary-key read',
          check: { kind: 'none', ours: oursFull.label, baseline: raw.label },
        },
        {
          what: 'GetListing with side rows, against its own statement run raw (our code on the same data)',
          check: { kind: 'none', ours: oursFull.label, baseline: rawFull.label },
        },
        { what: 'its statement alone', check: { kind: 'none', ours: rawFull.label, baseline: raw.label } },
        {
          what: 'GetListing against the bare pg.Pool',
          check: { kind: 'none', ours: ours.label, baseline: bare.label },
        },
      ],
      notes: roundLines(measured),
    };
  } finally {
    await knex.destroy();
    await pool.end();
  }
}
