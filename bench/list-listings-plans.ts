// `scripts/run node bench/list-listings-plans.ts <db> load|mixed [--fresh]`: EXPLAIN (ANALYZE, BUFFERS) of the
// statements ListListings' adapter (adapters/sql/listing-queries.ts) really sends, per request shape, on a database
// of 100,000 listings. `load` seeds as `npm run load` does (support/burst-listings.ts: one category, every row active,
// one created_at for all); `mixed` spreads rows over ten categories, four statuses, storefronts, deleted rows and
// distinct creation times. The database is kept for the next run (`--fresh` rebuilds it). Figures are informational.
import type { Knex } from 'knex';
import pg from 'pg';
import { createPostgresKnex } from '../adapters/postgres/postgres-knex.ts';
import { KnexSchemaMigrator } from '../adapters/sql/knex-schema-migrator.ts';
import { listPage, matching } from '../adapters/sql/listing-queries.ts';
import { seed as seedCategories } from '../migrations/seeds/categories.ts';
import type { ListingPage } from '../ports/listing-repository.ts';
import type { ListingFilter } from '../src/domain/listing-query.ts';
import { minorUnits } from '../src/domain/money.ts';
import { seedDraftListings } from './support/burst-listings.ts';

const [name, kind, ...flags] = process.argv.slice(2);
if (name === undefined || !/^listings_ll_[a-z0-9_]+$/.test(name) || (kind !== 'load' && kind !== 'mixed')) {
  console.error('usage: list-listings-plans.ts listings_ll_<name> load|mixed [--fresh]');
  process.exit(2);
}
const serverUrl = process.env.LISTINGS_TEST_POSTGRES_URL;
if (!serverUrl) throw new Error('LISTINGS_TEST_POSTGRES_URL is not set (source .cache/services/env)');
const COUNT = 100_000;

async function admin(sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const exists = (await admin(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)).length > 0;
if (exists && flags.includes('--fresh')) await admin(`DROP DATABASE ${name} WITH (FORCE)`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
if (!exists || flags.includes('--fresh')) {
  await admin(`CREATE DATABASE ${name}`);
  const knex = createPostgresKnex({ url: url.toString(), poolMax: 2 });
  try {
    await new KnexSchemaMigrator(knex).latest();
    await seedCategories(knex);
    await seed(knex);
  } finally {
    await knex.destroy();
  }
}

async function seed(knex: Knex): Promise<void> {
  const t = performance.now();
  const category = (await knex('c2c_categories').where({ slug: 'smartphones' }).first('id')) as { id: unknown };
  const ids = await seedDraftListings(knex, Number(category.id), COUNT);
  const [first, last] = [ids[0] as number, ids.at(-1) as number];
  await knex.raw(`UPDATE listings SET status = 'active', published_at = now() WHERE id BETWEEN ? AND ?`, [first, last]);
  if (kind === 'mixed') {
    await knex.raw(`
      INSERT INTO storefronts (user_id, slug, name)
      SELECT 1000 + n, 'plans-shop-' || n, 'Shop ' || n FROM generate_series(1, 20) AS n`);
    // Ten categories, the first with 40 % of the rows; 85 % active; every tenth row a storefront product; 2 %
    // deleted; one listing a minute over ~70 days with a few seconds of jitter (ids and times mostly agree).
    await knex.raw(
      `WITH c AS (SELECT array_agg(id ORDER BY id) AS ids FROM c2c_categories),
            s AS (SELECT array_agg(id ORDER BY id) AS ids FROM storefronts WHERE slug LIKE 'plans-shop-%')
       UPDATE listings l SET
         category_id = c.ids[1 + CASE WHEN l.id % 5 < 2 THEN 0 ELSE l.id % 10 END],
         status = COALESCE((ARRAY['draft', 'sold', 'inactive'])[1 + l.id % 20], 'active'),
         source_type = CASE WHEN l.id % 10 = 3 THEN 'b2c' ELSE 'c2c' END,
         storefront_id = CASE WHEN l.id % 10 = 3 THEN s.ids[1 + l.id % 20] END,
         created_at = timestamptz '2026-09-01' + (l.id - ?) * interval '1 minute' + (l.id * 7919 % 30) * interval '1 second'
       FROM c, s WHERE l.id BETWEEN ? AND ?`,
      [first, first, last],
    );
    await knex.raw(`UPDATE listings SET is_deleted = true, deleted_at = now() WHERE id % 50 = 7`);
  }
  await knex.raw('VACUUM ANALYZE');
  console.log(`seeded ${ids.length} listings (${kind}) in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}

interface Shape {
  readonly label: string;
  readonly filter: ListingFilter;
  readonly page: ListingPage;
}

const knex = createPostgresKnex({ url: url.toString(), poolMax: 1 });
const ids = (await knex.raw(`SELECT
    (SELECT category_id FROM listings WHERE NOT is_deleted GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) AS big_category,
    (SELECT category_id FROM listings WHERE NOT is_deleted GROUP BY 1 ORDER BY count(*) LIMIT 1) AS small_category,
    (SELECT storefront_id FROM listings WHERE storefront_id IS NOT NULL LIMIT 1) AS storefront`)) as {
  rows: { big_category: string; small_category: string; storefront: string | null }[];
};
const known = ids.rows[0] as { big_category: string; small_category: string; storefront: string | null };
const active = { status: 'active' } as const;
const band = (min: number, max: number) => ({ price: { min: minorUnits(min * 100), max: minorUnits(max * 100) } });
const first: ListingPage = { limit: 20, after: null };
const offset = (n: number): ListingPage => ({ limit: 20, offset: n });

const shapes: Shape[] = [
  { label: 'no filter, first page', filter: {}, page: first },
  { label: 'active (anonymous), first page', filter: active, page: first },
  { label: 'active, offset 80', filter: active, page: offset(80) },
  { label: 'active, offset 5000', filter: active, page: offset(5000) },
  {
    label: 'active, price 200k-501k (60 %), offset 80',
    filter: { ...active, ...band(200_000, 501_000) },
    page: offset(80),
  },
  { label: 'active, price 1k-50k (10 %), first page', filter: { ...active, ...band(1_000, 50_000) }, page: first },
  { label: 'active, price 1000-1100 (narrow)', filter: { ...active, ...band(1_000, 1_100) }, page: first },
  { label: 'active, big category', filter: { ...active, categoryId: Number(known.big_category) }, page: first },
  {
    label: 'active, small category + price 50k-200k',
    filter: { ...active, categoryId: Number(known.small_category), ...band(50_000, 200_000) },
    page: first,
  },
  { label: 'draft (admin)', filter: { status: 'draft' }, page: first },
  { label: 'user 7 (owner, all statuses)', filter: { userId: 7 }, page: first },
  ...(known.storefront === null
    ? []
    : [{ label: 'active, storefront', filter: { ...active, storefrontId: Number(known.storefront) }, page: first }]),
];

// The keyset page after the first page of the price band: the cursor the first page hands out.
const firstBandPage = await listPage(knex, { ...active, ...band(200_000, 501_000) }, first);
if (firstBandPage.nextKey !== null) {
  shapes.push({
    label: 'active, price 200k-501k, keyset page 2',
    filter: { ...active, ...band(200_000, 501_000) },
    page: { limit: 20, after: firstBandPage.nextKey },
  });
}

interface Captured {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}
const captured: Captured[] = [];
knex.on('query', (query: { sql: string; bindings?: unknown[] }) => {
  captured.push({ sql: query.sql, bindings: query.bindings ?? [] });
});

const explainer = new pg.Client({ connectionString: url.toString() });
await explainer.connect();
let n = 0;
const native = (sql: string) => (sql.includes('$1') ? sql : sql.replace(/\?/g, () => `$${++n}`));
const { loadavg } = await import('node:os');
console.log(
  `database ${name} (${kind}); load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
for (const shape of shapes) {
  captured.length = 0;
  const result = await listPage(knex, shape.filter, shape.page);
  const statements = captured.filter((c) => /\bfrom "listings"/i.test(c.sql));
  const calls: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await listPage(knex, shape.filter, shape.page);
    calls.push(performance.now() - t);
  }
  calls.sort((a, b) => a - b);
  console.log(
    `\n## ${shape.label}: ${result.items.length} rows, total ${result.total}; listPage median ${calls[2]?.toFixed(1)} ms`,
  );
  for (const statement of statements) {
    n = 0;
    const plan = await explainer.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${native(statement.sql)}`,
      [...statement.bindings],
    );
    const lines = plan.rows.map((row) => row['QUERY PLAN']);
    const time = lines.find((line) => line.startsWith('Execution Time'));
    console.log(`- ${statement.sql.replace(/\s+/g, ' ').slice(0, 110)}… → ${time}`);
    if (flags.includes('--plans')) for (const line of lines) console.log(`    ${line}`);
    else console.log(`    ${lines.slice(0, 3).join('\n    ')}`);
  }
  // The alternative to a second statement: the page and `count(*) OVER ()` in one (every match is read first).
  const windowed = matching(knex, shape.filter)
    .select('listings.*', knex.raw('count(*) OVER () AS total'))
    .orderBy([
      { column: 'listings.created_at', order: 'desc' },
      { column: 'listings.id', order: 'desc' },
    ])
    .limit(shape.page.limit + 1)
    .offset('offset' in shape.page ? shape.page.offset : 0)
    .toSQL()
    .toNative();
  n = 0;
  const windowPlan = await explainer.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${windowed.sql}`, [
    ...windowed.bindings,
  ]);
  const windowTime = windowPlan.rows.map((row) => row['QUERY PLAN']).find((line) => line.startsWith('Execution'));
  console.log(`- alternative, page with count(*) OVER () in one statement → ${windowTime}`);
}
await knex.destroy();
await explainer.end();
