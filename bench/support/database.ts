import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { createPostgresKnex } from '../../adapters/postgres/postgres-knex.ts';
import { KnexSchemaMigrator } from '../../adapters/sql/knex-schema-migrator.ts';
import { seed } from '../../migrations/seeds/categories.ts';

/** The benchmarks' own database: fresh, migrated, categories seeded, `listingIds` active public listings. */
export interface BenchDatabase {
  readonly url: string;
  readonly categoryId: number;
  readonly listingIds: readonly number[];
  dispose(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.LISTINGS_TEST_POSTGRES_URL;
  if (!url) throw new Error('LISTINGS_TEST_POSTGRES_URL is not set: run through scripts/bench (npm run bench)');
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`benchmarks only run on 127.0.0.1, not ${host}`);
  return url;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function seedListings(knex: Knex, categoryId: number, count: number): Promise<number[]> {
  const result = await knex.raw(
    `INSERT INTO listings (user_id, title, description, price, currency, category_id, status, visibility, quantity,
                           published_at, attributes)
     SELECT 1 + n % 50, 'Bench listing ' || n, repeat('A used item in good condition. ', 8), 100 + n % 900, 'RSD', ?,
            'active', 'public', 1 + n % 5, now(), jsonb_build_object('condition', 'used', 'n', n)
     FROM generate_series(1, ?) AS n
     RETURNING id`,
    [categoryId, count],
  );
  return (result.rows as { id: string | number }[]).map((r) => Number(r.id));
}

/** Creates `listings_bench_<random>` on the test PostgreSQL; `dispose` drops it. */
export async function createBenchDatabase(listingCount = 1000): Promise<BenchDatabase> {
  const name = `listings_bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const knex = createPostgresKnex({ url: url.toString(), poolMax: 2 });
  try {
    await new KnexSchemaMigrator(knex).latest();
    await seed(knex);
    const category = (await knex('c2c_categories').where({ slug: 'smartphones' }).first('id')) as { id: unknown };
    const categoryId = Number(category.id);
    const listingIds = await seedListings(knex, categoryId, listingCount);
    await knex.raw('ANALYZE');
    return {
      url: url.toString(),
      categoryId,
      listingIds,
      dispose: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  } finally {
    await knex.destroy();
  }
}
