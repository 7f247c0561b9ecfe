// CreateListing (validation, category check, listing row + `index` outbox row in one transaction) vs one raw
// `pg` INSERT of the same listing row. The issue states no target: the ratio is reported for information.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { buildCoreUseCases } from '../adapters/composition/core-use-cases.ts';
import { PgSearchIndex } from '../adapters/pgsearch/pg-search-index.ts';
import { createPostgresKnex } from '../adapters/postgres/postgres-knex.ts';
import { NO_METRICS } from '../ports/core-metrics.ts';
import type { Principal } from '../ports/principal.ts';
import type { BenchDatabase } from './support/database.ts';
import { measure } from './support/load.ts';
import type { BenchReport } from './support/report.ts';
import type { BenchSettings } from './support/settings.ts';

const CONCURRENCY = 16;
const POOL_SIZE = 16;
/** A back-end service may create a listing for a named user (src/domain/access.ts, actingUserId). */
const SERVICE: Principal = { subject: 'bench', roles: ['service'], kind: 'service' };

const INSERT = `INSERT INTO listings (uuid, user_id, title, description, price, currency, category_id, status,
  visibility, quantity, attributes, source_type, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', 'public', $8, '{}'::jsonb, 'c2c', now(), now()) RETURNING *`;

export async function run(db: BenchDatabase, settings: BenchSettings): Promise<BenchReport> {
  const load = { ...settings, concurrency: CONCURRENCY };
  const pool = new pg.Pool({ connectionString: db.url, max: POOL_SIZE });
  const knex = createPostgresKnex({ url: db.url, poolMax: POOL_SIZE });
  let n = 0;
  const listing = () => {
    n += 1;
    return { userId: 1 + (n % 50), title: `Bench created ${n}`, description: 'Created by the benchmark', quantity: 2 };
  };
  try {
    const raw = await measure(
      'raw pg INSERT (baseline)',
      () => {
        const l = listing();
        const values = [randomUUID(), l.userId, l.title, l.description, '199.99', 'RSD', db.categoryId, l.quantity];
        return pool.query({ name: 'insert_listing', text: INSERT, values });
      },
      load,
    );
    const core = buildCoreUseCases({
      knex,
      cache: undefined,
      metrics: NO_METRICS,
      searchIndex: new PgSearchIndex({ knex }),
    });
    const ours = await measure(
      'CreateListing use case',
      () =>
        core.listings.create.execute(SERVICE, {
          ...listing(),
          price: '199.99',
          currency: 'RSD',
          categoryId: db.categoryId,
        }),
      load,
    );
    return {
      title: 'create-listing: CreateListing use case vs raw pg INSERT (PostgreSQL 15)',
      setup: `${CONCURRENCY} in flight, pools of ${POOL_SIZE}, ${settings.durationMs / 1000} s after ${settings.warmupMs / 1000} s warm-up`,
      rows: [raw, ours],
      comparisons: [{ what: 'CreateListing ops/s', check: { kind: 'none', ours: ours.label, baseline: raw.label } }],
    };
  } finally {
    await knex.destroy();
    await pool.end();
  }
}
