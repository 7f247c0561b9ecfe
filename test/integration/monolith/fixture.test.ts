import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applicableQuirks,
  freshMonolith,
  type MonolithDatabase,
  QUIRKS,
} from '../../fixtures/monolith/monolith-database.ts';
import { findQuirkRows } from '../../fixtures/monolith/quirks/index.ts';
import { ACTUAL_COLUMNS_SQL, EXPECTED_COLUMNS, normalise } from './expected-monolith-schema.ts';

async function connect(url: string, utc = true): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, ...(utc ? { options: '-c TimeZone=UTC' } : {}) });
  await client.connect();
  return client;
}

/** md5 of every row of every table (rows sorted by their text), plus the sequence values. */
async function checksums(database: MonolithDatabase): Promise<Record<string, string>> {
  const client = await connect(database.url);
  try {
    const sums: Record<string, string> = {};
    for (const table of Object.keys(database.manifest.counts)) {
      const { rows } = await client.query(
        `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS sum FROM ${table} t`,
      );
      sums[table] = rows[0].sum;
    }
    const { rows } = await client.query(
      `SELECT string_agg(sequencename || '=' || coalesce(last_value, 0), ',' ORDER BY sequencename) AS s FROM pg_sequences`,
    );
    sums.sequences = rows[0].s;
    return sums;
  } finally {
    await client.end();
  }
}

describe('monolith source fixture (200 C2C listings, seed 1)', () => {
  let monolith: MonolithDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    monolith = await freshMonolith({ rows: 200, seed: 1 });
    client = await connect(monolith.url);
  });

  afterAll(async () => {
    await client?.end();
    await monolith?.dispose();
  });

  it('creates every table with the reference columns, types and nullability, in physical order', async () => {
    const tables = Object.keys(EXPECTED_COLUMNS).filter((t) => t !== 'unified_geo' || monolith.manifest.geo);
    const { rows } = await client.query<{ table_name: string; columns: string }>(ACTUAL_COLUMNS_SQL, [tables]);
    const actual = Object.fromEntries(rows.map((r) => [r.table_name, r.columns]));
    const expected = Object.fromEntries(tables.map((t) => [t, normalise(EXPECTED_COLUMNS[t] as string)]));
    expect(actual).toEqual(expected);
    expect(actual.c2c_listings?.split(', ')).toHaveLength(23);
    expect(actual.b2c_stores?.split(', ')).toHaveLength(43);
    expect(actual.b2c_products?.split(', ')).toHaveLength(24);
  });

  it('draws both listing ids from the unowned global_product_id_seq; other tables own their sequences', async () => {
    const defaults = await client.query(
      `SELECT table_name, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'id' AND table_name IN ('c2c_listings', 'b2c_products')`,
    );
    for (const row of defaults.rows) expect(row.column_default).toBe(`nextval('global_product_id_seq'::regclass)`);
    const owners = await client.query(
      `SELECT count(*)::int AS n FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
       WHERE s.relname = 'global_product_id_seq' AND d.deptype IN ('a', 'i')`,
    );
    expect(owners.rows[0].n).toBe(0);
    const owned = await client.query(
      `SELECT t AS table_name, pg_get_serial_sequence(t, 'id') AS seq, s.data_type
       FROM unnest($1::text[]) t JOIN pg_sequences s ON 'public.' || s.sequencename = pg_get_serial_sequence(t, 'id')
       ORDER BY t`,
      [
        [
          'c2c_images',
          'c2c_categories',
          'c2c_listing_variants',
          'b2c_stores',
          'b2c_product_images',
          'translations',
          'unified_attribute_values',
        ],
      ],
    );
    expect(owned.rows.map((r) => `${r.table_name}:${r.data_type}`)).toEqual([
      'b2c_product_images:bigint',
      'b2c_stores:bigint',
      'c2c_categories:bigint',
      'c2c_images:bigint',
      'c2c_listing_variants:bigint',
      'translations:integer',
      'unified_attribute_values:integer',
    ]);
  });

  it('has the enums, extensions, checks and the 2025-10-30 foreign keys (NOT VALID, ON UPDATE CASCADE)', async () => {
    const enums = await client.query(
      `SELECT enum_range(NULL::location_privacy_level)::text AS a, enum_range(NULL::storefront_geo_strategy)::text AS b,
              enum_range(NULL::geo_source_type)::text AS c`,
    );
    expect(enums.rows[0]).toEqual({
      a: '{exact,street,district,city}',
      b: '{storefront_location,individual_location}',
      c: '{marketplace_listing,storefront_product,storefront,c2c_listing,b2c_store,b2c_product}',
    });
    const extensions = await client.query(
      `SELECT array_agg(extname::text ORDER BY extname) AS names FROM pg_extension`,
    );
    expect(extensions.rows[0].names).toEqual(expect.arrayContaining(['fuzzystrmatch', 'pg_trgm', 'unaccent']));
    const keys = await client.query(
      `SELECT conrelid::regclass::text || '.' || a.attname || '->' || confrelid::regclass::text || ' ' || confdeltype::text
              || confupdtype::text || CASE WHEN convalidated THEN ' valid' ELSE '' END AS fk
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE contype = 'f' AND conrelid::regclass::text <> 'unified_attribute_values' ORDER BY 1`,
    );
    expect(keys.rows.map((r) => r.fk)).toEqual([
      'b2c_favorites.product_id->b2c_products cc',
      'b2c_product_images.storefront_product_id->b2c_products cc',
      'b2c_product_variant_images.variant_id->b2c_product_variants cc',
      'b2c_product_variants.product_id->b2c_products cc',
      'b2c_products.category_id->c2c_categories rc',
      'b2c_products.storefront_id->b2c_stores cc',
      'c2c_favorites.listing_id->c2c_listings cc',
      'c2c_images.listing_id->c2c_listings cc',
      'c2c_listing_variants.listing_id->c2c_listings cc',
      'c2c_listings.category_id->c2c_categories rc',
      'c2c_listings.storefront_id->b2c_stores nc',
    ]);
    const checks = await client.query(
      `SELECT conrelid::regclass::text AS t, conname FROM pg_constraint WHERE contype = 'c' ORDER BY 1, 2`,
    );
    const names = checks.rows.map((r) => `${r.t}.${r.conname}`);
    expect(names).toContain('c2c_categories.check_root_categories_level');
    expect(names).toContain('b2c_products.b2c_products_price_check');
    expect(names.filter((n) => n.startsWith('c2c_listings.'))).toEqual([]); // Q2: no CHECK on status
    const slugKeys = await client.query(
      `SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'b2c_stores'::regclass AND contype = 'u'`,
    );
    expect(slugKeys.rows[0].n).toBe(2);
  });

  it('has the unified_listings view: 25 columns, C2C rows plus the B2C rows whose store exists', async () => {
    const columns = await client.query(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'unified_listings'`,
    );
    expect(columns.rows[0].n).toBe(25);
    const counts = await client.query(
      `SELECT (SELECT count(*) FROM unified_listings)::int AS view,
              (SELECT count(*) FROM c2c_listings)::int + (SELECT count(*) FROM b2c_products p
                 WHERE EXISTS (SELECT 1 FROM b2c_stores s WHERE s.id = p.storefront_id))::int AS expected,
              (SELECT count(*) FROM b2c_products)::int AS products`,
    );
    expect(counts.rows[0].view).toBe(counts.rows[0].expected);
    expect(counts.rows[0].products + 200).toBeGreaterThan(counts.rows[0].view); // Q10: some products lost their store
  });

  it('sets the database TimeZone to the zone of its naive timestamps and records the manifest in the database', async () => {
    const plain = await connect(monolith.url, false);
    try {
      const zone = await plain.query('SHOW TimeZone');
      expect(zone.rows[0].TimeZone).toBe(monolith.manifest.zone);
      expect(monolith.manifest.zone).toBe('Europe/Belgrade');
      const stored = await plain.query('SELECT document FROM fixture_meta.manifest');
      expect(stored.rows[0].document).toEqual(monolith.manifest);
    } finally {
      await plain.end();
    }
    const count = await client.query('SELECT count(*)::int AS n FROM c2c_listings');
    expect(count.rows[0].n).toBe(200);
    expect(monolith.manifest.counts.c2c_listings).toBe(200);
  });

  it('holds every quirk of §1.9 (and of the §3 rules) in a 200-row run', async () => {
    const quirks = applicableQuirks(monolith.manifest);
    const missing: string[] = [];
    for (const quirk of quirks) {
      if ((await findQuirkRows(client, quirk, monolith.manifest.zone, 1)).length === 0) missing.push(quirk.key);
    }
    expect(missing).toEqual([]);
    expect(Object.keys(monolith.quirkExamples).sort()).toEqual(quirks.map((q) => q.key).sort());
    expect(new Set(QUIRKS.map((q) => q.key)).size).toBe(QUIRKS.length);
    const references = new Set(QUIRKS.map((q) => q.reference));
    for (let id = 1; id <= 20; id++) expect(references).toContain(`Q${id}`);
  });

  it('gives byte-identical data for the same seed and rows, and other data for another seed', async () => {
    const again = await freshMonolith({ rows: 200, seed: 1 });
    const other = await freshMonolith({ rows: 200, seed: 2 });
    try {
      const [a, b, c] = await Promise.all([checksums(monolith), checksums(again), checksums(other)]);
      expect(b).toEqual(a);
      expect(again.quirkExamples).toEqual(monolith.quirkExamples);
      for (const table of ['c2c_listings', 'c2c_images', 'b2c_products', 'c2c_favorites', 'translations']) {
        expect(c[table], table).not.toBe(a[table]);
      }
    } finally {
      await Promise.all([again.dispose(), other.dispose()]);
    }
  });
});

describe('monolith source fixture, 2025-11-01 shape', () => {
  it('has no c2c_images.display_order, a 2-character store country, an empty slug, and its quirks', async () => {
    const monolith = await freshMonolith({ rows: 150, seed: 3, shape: '2025-11-01' });
    const client = await connect(monolith.url);
    try {
      const columns = await client.query(
        `SELECT table_name || '.' || column_name || ':' || coalesce(character_maximum_length::text, '') AS c
         FROM information_schema.columns
         WHERE (table_name = 'c2c_images' AND column_name = 'display_order') OR (table_name = 'b2c_stores' AND column_name = 'country')`,
      );
      expect(columns.rows.map((r) => r.c)).toEqual(['b2c_stores.country:2']);
      const missing: string[] = [];
      for (const quirk of applicableQuirks(monolith.manifest)) {
        if ((await findQuirkRows(client, quirk, monolith.manifest.zone, 1)).length === 0) missing.push(quirk.key);
      }
      expect(missing).toEqual([]);
      expect(monolith.quirkExamples['Q17.slug_empty']).toHaveLength(1);
    } finally {
      await client.end();
      await monolith.dispose();
    }
  });
});
