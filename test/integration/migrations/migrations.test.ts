import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { TARGETS, type TestDatabase } from '../../support/databases.ts';
import { LATEST_VERSION, MIGRATION_FILES } from '../../support/migration-files.ts';
import { columns, constraints, indexes, schemaObjects, tables, triggers } from './catalog.ts';

// The files themselves, so a new migration needs no edit here; the first seven are the reference schema.
const MIGRATIONS = MIGRATION_FILES;
const REFERENCE_SCHEMA = [
  '20261125000001_extensions_and_functions.ts',
  '20261125000002_categories_and_storefronts.ts',
  '20261125000003_listings.ts',
  '20261125000004_listing_side_tables.ts',
  '20261125000005_inventory_and_variants.ts',
  '20261125000006_indexing_queue.ts',
  '20261125000007_idempotency_keys.ts',
];

const TABLES = [
  'b2c_product_variants',
  'c2c_categories',
  'c2c_favorites',
  'idempotency_keys',
  'indexing_queue',
  'inventory_movements',
  'listing_attributes',
  'listing_images',
  'listing_locations',
  'listing_search',
  'listing_side_rows',
  'listing_stats',
  'listing_tags',
  'listings',
  'storefronts',
];

describe.each(TARGETS)('schema migrations on $kind', ({ open }) => {
  let db: TestDatabase;
  let migrator: KnexSchemaMigrator;

  beforeAll(async () => {
    db = await open();
    migrator = new KnexSchemaMigrator(db.knex);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('starts empty: every migration pending, no version', async () => {
    const status = await migrator.status();
    expect(status).toEqual({ applied: [], pending: MIGRATIONS, unknown: [], currentVersion: null });
  });

  it('latest applies every migration as batch 1', async () => {
    expect(await migrator.latest()).toEqual({ batch: 1, names: MIGRATIONS });
    const status = await migrator.status();
    expect(status.pending).toEqual([]);
    expect(status.currentVersion).toBe(LATEST_VERSION);
    expect(MIGRATIONS.slice(0, REFERENCE_SCHEMA.length)).toEqual(REFERENCE_SCHEMA);
    expect(status.applied.map((m) => [m.name, m.batch])).toEqual(MIGRATIONS.map((name) => [name, 1]));
    expect(status.applied[0]?.appliedAt).toBeInstanceOf(Date);
    expect(await migrator.latest()).toEqual({ batch: 0, names: [] });
  });

  it('creates every table of the target schema', async () => {
    expect(await tables(db.knex)).toEqual(TABLES);
  });

  it('gives listings the reference columns plus version and barcode', async () => {
    const listing = await columns(db.knex, 'listings');
    expect(listing.view_count).toEqual({ type: 'integer', nullable: false, default: '0' });
    expect(listing.views_count).toBeUndefined();
    expect(listing.version).toEqual({ type: 'bigint', nullable: false, default: '1' });
    expect(listing.barcode).toMatchObject({ type: 'character varying(100)', nullable: true });
    expect(listing.price).toMatchObject({ type: 'numeric(15,2)', nullable: false });
    expect(listing.uuid).toEqual({ type: 'uuid', nullable: false, default: 'gen_random_uuid()' });
    expect(listing.currency).toMatchObject({ type: 'character varying(3)', default: "'RSD'::character varying" });
    expect(listing.individual_latitude?.type).toBe('numeric(10,8)');
    expect(listing.individual_longitude?.type).toBe('numeric(11,8)');
    expect(listing.updated_at).toMatchObject({ type: 'timestamp with time zone', nullable: false, default: 'now()' });
    expect(Object.keys(listing)).toHaveLength(33);
  });

  it('gives the outbox, movements, variants and images their new columns', async () => {
    const queue = await columns(db.knex, 'indexing_queue');
    expect(queue.available_at).toEqual({ type: 'timestamp with time zone', nullable: false, default: 'now()' });
    expect(queue.locked_at?.nullable).toBe(true);
    expect(queue.locked_by?.type).toBe('character varying(255)');
    expect(queue.listing_version?.type).toBe('bigint');
    expect((await columns(db.knex, 'inventory_movements')).order_id?.type).toBe('character varying(255)');
    expect((await columns(db.knex, 'b2c_product_variants')).barcode?.type).toBe('character varying(100)');
    const images = await columns(db.knex, 'listing_images');
    expect(images.thumbnails).toEqual({ type: 'jsonb', nullable: false, default: "'{}'::jsonb" });
    expect(images.storage_key?.type).toBe('text');
    expect(Object.keys(await columns(db.knex, 'storefronts'))).toHaveLength(43);
    expect((await columns(db.knex, 'c2c_categories')).created_at?.type).toBe('timestamp without time zone');
  });

  it('names the reference constraints and keys', async () => {
    const listing = await constraints(db.knex, 'listings');
    expect(listing.listings_source_type_check).toContain("'c2c'");
    expect(listing.fk_listings_category_id).toMatch(/REFERENCES c2c_categories\(id\) ON DELETE RESTRICT/);
    expect(listing.listings_title_check).toContain('length(TRIM(BOTH FROM title)) >= 3');
    expect(listing.listings_deleted_check).toBeDefined();
    expect((await constraints(db.knex, 'b2c_product_variants')).fk_b2c_product_variants_product_id).toMatch(
      /ON UPDATE CASCADE ON DELETE CASCADE/,
    );
    expect((await constraints(db.knex, 'c2c_favorites')).fk_c2c_favorites_listing_id).toMatch(/ON DELETE CASCADE/);
    expect((await constraints(db.knex, 'c2c_categories')).check_root_categories_level).toBeDefined();
    expect((await constraints(db.knex, 'inventory_movements')).inventory_movements_quantity_check).toBe(
      'CHECK ((quantity <> 0))',
    );
    const queue = await constraints(db.knex, 'indexing_queue');
    expect(Object.values(queue).filter((definition) => definition.startsWith('FOREIGN KEY'))).toEqual([]);
    expect(queue.indexing_queue_status_check).toContain("'dead'");
  });

  it('creates the partial and unique indexes, and no English full-text index', async () => {
    const listing = await indexes(db.knex, 'listings');
    expect(listing.idx_listings_search).toBeUndefined();
    // ListListings' order and counts (20261126020000): the page order to the id, status and price for the counts.
    expect(listing.idx_listings_created_at_id).toMatch(/\(created_at DESC, id DESC\) WHERE \(is_deleted = false\)$/);
    expect(listing.idx_listings_status_created_at_id).toMatch(
      /\(status, created_at DESC, id DESC\) WHERE \(is_deleted = false\)$/,
    );
    expect(listing.idx_listings_category_created_at_id).toMatch(
      /\(category_id, created_at DESC, id DESC\) INCLUDE \(status, price\) WHERE \(is_deleted = false\)$/,
    );
    expect(listing.idx_listings_user_created_at_id).toMatch(/\(user_id, created_at DESC, id DESC\) WHERE/);
    expect(listing.idx_listings_storefront_created_at_id).toMatch(
      /\(storefront_id, created_at DESC, id DESC\) INCLUDE \(status, price\) WHERE/,
    );
    expect(listing.idx_listings_status_price).toMatch(/\(status, price\) WHERE \(is_deleted = false\)$/);
    expect(listing.idx_listings_status_created_at).toBeUndefined();
    expect(listing.idx_listings_attributes).toMatch(/USING gin \(attributes\)/);
    expect(listing.uq_listings_storefront_sku).toMatch(/^CREATE UNIQUE INDEX .*\(storefront_id, sku\) WHERE/);
    const queue = await indexes(db.knex, 'indexing_queue');
    expect(queue.uq_indexing_queue_pending_listing).toMatch(
      /^CREATE UNIQUE INDEX .*\(listing_id\) WHERE \(\(status\)::text = 'pending'::text\)$/,
    );
    expect(queue.idx_indexing_queue_listing_id).toBeDefined();
    // Read by no statement, written by every enqueue, claim and completion (20261126090000).
    expect(queue.idx_indexing_queue_created_at).toBeUndefined();
    // Dead letters have their own index; the index of every unfinished row, written by each enqueue and claim, is
    // gone (20261126103000).
    expect(queue.idx_indexing_queue_dead).toMatch(/\(id\) WHERE \(\(status\)::text = 'dead'::text\)$/);
    expect(queue.idx_indexing_queue_status).toBeUndefined();
    expect((await indexes(db.knex, 'inventory_movements')).uq_inventory_movements_rollback_order).toMatch(
      /^CREATE UNIQUE INDEX .*\(order_id, listing_id, COALESCE\(variant_id, \(0\)::bigint\)\) WHERE \(\(movement_type\)::text = 'rollback'::text\)$/,
    );
    expect((await indexes(db.knex, 'b2c_product_variants')).uq_b2c_product_variants_product_sku).toMatch(
      /^CREATE UNIQUE INDEX .*\(product_id, sku\) WHERE \(sku IS NOT NULL\)$/,
    );
    expect((await indexes(db.knex, 'storefronts')).idx_storefronts_location).toMatch(/USING gist \(ll_to_earth/);
    // validate walks image rows in the object store's key order (20261126031500): bytewise, then by id.
    expect((await indexes(db.knex, 'listing_images')).idx_listing_images_storage_key).toMatch(
      /\(storage_key COLLATE "C", id\) WHERE \(storage_key IS NOT NULL\)$/,
    );
  });

  it('attaches the updated_at trigger wherever the reference has one, and to variants', async () => {
    for (const table of [
      'listings',
      'listing_images',
      'listing_locations',
      'listing_stats',
      'indexing_queue',
      'storefronts',
      'b2c_product_variants',
    ]) {
      expect(await triggers(db.knex, table)).toContain(`update_${table}_updated_at`);
    }
    expect(await triggers(db.knex, 'listings')).toEqual([
      'listings_10_stock_status',
      'listings_20_version',
      'update_listings_updated_at',
    ]);
  });

  it('rolls everything back, then applies it again (up, down, up)', async () => {
    const down = await migrator.rollback({ all: true });
    expect(down).toEqual({ batch: 1, names: [...MIGRATIONS].reverse() });
    expect(await tables(db.knex)).toEqual([]);
    expect(await schemaObjects(db.knex)).toEqual({ functions: [], extensions: [] });
    expect(await migrator.status()).toEqual({ applied: [], pending: MIGRATIONS, unknown: [], currentVersion: null });
    expect(await migrator.rollback()).toEqual({ batch: 0, names: [] });

    expect(await migrator.latest()).toEqual({ batch: 1, names: MIGRATIONS });
    expect(await tables(db.knex)).toEqual(TABLES);
  });

  it('reports a schema migrated by a newer release, does nothing on latest, refuses rollback', async () => {
    const newer = '29991231000000_from_a_newer_release.ts';
    await db.knex('knex_migrations').insert({ name: newer, batch: 2, migration_time: new Date() });
    try {
      const status = await migrator.status();
      expect(status).toMatchObject({ pending: [], unknown: [newer], currentVersion: '29991231000000' });
      expect(await migrator.latest()).toEqual({ batch: 0, names: [] });
      await expect(migrator.rollback()).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        message: expect.stringContaining('migrated by a newer release'),
      });
      expect((await migrator.status()).applied).toHaveLength(MIGRATIONS.length + 1);

      // One of this release's migrations is not applied either: applying it after the newer one would be out of order.
      const last = MIGRATIONS.at(-1) as string;
      await db.knex('knex_migrations').where({ name: last }).delete();
      expect(await migrator.status()).toMatchObject({ pending: [last], unknown: [newer] });
      await expect(migrator.latest()).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
      await db.knex('knex_migrations').insert({ name: last, batch: 1, migration_time: new Date() });
    } finally {
      await db.knex('knex_migrations').where({ name: newer }).delete();
    }
    expect(await migrator.status()).toMatchObject({ pending: [], unknown: [] });
  });

  it('rolls back one batch at a time', async () => {
    const status = await migrator.status();
    expect(status.applied.at(-1)?.batch).toBe(1);
    expect(await migrator.rollback()).toEqual({ batch: 1, names: [...MIGRATIONS].reverse() });
    expect(await migrator.latest()).toEqual({ batch: 1, names: MIGRATIONS });
  });
});
