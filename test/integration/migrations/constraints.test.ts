import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { TARGETS, type TestDatabase } from '../../support/databases.ts';
import {
  CHECK_VIOLATION,
  expectRejected,
  FOREIGN_KEY_VIOLATION,
  insertCategory,
  insertListing,
  listingRow,
  UNIQUE_VIOLATION,
} from './fixtures.ts';

describe.each(TARGETS)('schema rules on $kind', ({ open }) => {
  let db: TestDatabase;
  let categoryId: number;

  beforeAll(async () => {
    db = await open();
    await new KnexSchemaMigrator(db.knex).latest();
    categoryId = await insertCategory(db.knex, 'bikes');
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('rejects bad listing rows by their named constraints', async () => {
    const insert = (overrides: Record<string, unknown>) =>
      db.knex('listings').insert(listingRow(categoryId, overrides));
    await expectRejected(insert({ title: ' ab ' }), CHECK_VIOLATION, 'listings_title_check');
    await expectRejected(insert({ price: 0 }), CHECK_VIOLATION, 'listings_price_check');
    await expectRejected(insert({ quantity: -1 }), CHECK_VIOLATION, 'listings_quantity_check');
    await expectRejected(insert({ status: 'published' }), CHECK_VIOLATION, 'listings_status_check');
    await expectRejected(insert({ source_type: 'b2b' }), CHECK_VIOLATION, 'listings_source_type_check');
    await expectRejected(insert({ visibility: 'secret' }), CHECK_VIOLATION, 'listings_visibility_check');
    await expectRejected(insert({ user_id: 0 }), CHECK_VIOLATION, 'listings_user_id_check');
    await expectRejected(insert({ source_type: 'b2c' }), CHECK_VIOLATION, 'listings_storefront_source_check');
    await expectRejected(insert({ is_deleted: true }), CHECK_VIOLATION, 'listings_deleted_check');
    await expectRejected(insert({ category_id: 999_999 }), FOREIGN_KEY_VIOLATION, 'fk_listings_category_id');
  });

  it('keeps one live SKU per storefront', async () => {
    const product = { source_type: 'b2c', storefront_id: 3, sku: 'SKU-1' };
    const first = await insertListing(db.knex, categoryId, product);
    await expectRejected(insertListing(db.knex, categoryId, product), UNIQUE_VIOLATION, 'uq_listings_storefront_sku');
    await insertListing(db.knex, categoryId, { ...product, storefront_id: 4 });
    await db.knex('listings').where({ id: first.id }).update({ is_deleted: true, deleted_at: db.knex.fn.now() });
    await insertListing(db.knex, categoryId, product);
  });

  it('moves updated_at and the content version on an edit, but not the version on a counter change', async () => {
    const listing = await insertListing(db.knex, categoryId, { updated_at: new Date('2020-01-01T00:00:00Z') });
    expect(listing.version).toBe(1);
    const read = async () => (await db.knex('listings').where({ id: listing.id }).first()) as Record<string, unknown>;

    await db.knex('listings').where({ id: listing.id }).update({ title: 'Road bike, barely used' });
    const edited = await read();
    expect(edited.version).toBe(2);
    expect((edited.updated_at as Date).getTime()).toBeGreaterThan(Date.parse('2020-01-02T00:00:00Z'));

    await db.knex('listings').where({ id: listing.id }).increment('view_count', 1);
    expect(await read()).toMatchObject({ version: 2, view_count: 1 });
    await db.knex('listings').where({ id: listing.id }).update({ title: 'Road bike, barely used' });
    expect((await read()).version).toBe(2);

    // Optimistic concurrency: a writer holding version 2 wins once; a writer still holding 2 then changes nothing.
    const won = await db.knex('listings').where({ id: listing.id, version: 2 }).update({ price: '140.00' });
    const lost = await db.knex('listings').where({ id: listing.id, version: 2 }).update({ price: '130.00' });
    expect([won, lost]).toEqual([1, 0]);
    await db.knex('listings').where({ id: listing.id }).update({ version: 1, description: 'cannot go back' });
    expect((await read()).version).toBe(4);
  });

  it('derives stock_status from quantity, keeping discontinued', async () => {
    const product = await insertListing(db.knex, categoryId, { source_type: 'b2c', storefront_id: 9, quantity: 0 });
    expect(product.stock_status).toBe('out_of_stock');
    const statusAt = async (change: Record<string, unknown>) => {
      const [row] = await db.knex('listings').where({ id: product.id }).update(change).returning('stock_status');
      return (row as { stock_status: string }).stock_status;
    };
    expect(await statusAt({ quantity: 3 })).toBe('low_stock');
    expect(await statusAt({ quantity: 6, stock_status: 'out_of_stock' })).toBe('in_stock');
    expect(await statusAt({ stock_status: 'discontinued' })).toBe('discontinued');
    expect(await statusAt({ quantity: 0 })).toBe('discontinued');
    expect(await statusAt({ stock_status: 'in_stock' })).toBe('out_of_stock');
    const single = await insertListing(db.knex, categoryId, { quantity: 1 });
    expect(single.stock_status).toBe('in_stock');
  });

  it('keeps variants unique per product SKU, one default, and their stock_status in step', async () => {
    const product = await insertListing(db.knex, categoryId, { source_type: 'b2c', storefront_id: 9, sku: 'P-2' });
    const variant = (overrides: Record<string, unknown>) =>
      db
        .knex('b2c_product_variants')
        .insert({ product_id: product.id, ...overrides })
        .returning('*');
    const [red] = await variant({ sku: 'RED', stock_quantity: 2, is_default: true });
    expect(red).toMatchObject({ stock_status: 'low_stock', low_stock_threshold: 5 });
    await expectRejected(variant({ sku: 'RED' }), UNIQUE_VIOLATION, 'uq_b2c_product_variants_product_sku');
    await expectRejected(
      variant({ sku: 'BLUE', is_default: true }),
      UNIQUE_VIOLATION,
      'uq_b2c_product_variants_default',
    );
    await expectRejected(
      variant({ sku: 'GREEN', stock_quantity: -1 }),
      CHECK_VIOLATION,
      'b2c_product_variants_stock_quantity_check',
    );
    const [blue] = await variant({ sku: 'BLUE', stock_quantity: 50 });
    expect(blue.stock_status).toBe('in_stock');
    const [empty] = await db.knex('b2c_product_variants').where({ id: blue.id }).update({ stock_quantity: 0 }, '*');
    expect(empty.stock_status).toBe('out_of_stock');
    expect(empty.updated_at.getTime()).toBeGreaterThanOrEqual(blue.updated_at.getTime());
    await variant({ sku: null });
    await variant({ sku: null });
  });

  it('records signed movements, and at most one rollback per order, product and variant', async () => {
    const product = await insertListing(db.knex, categoryId, { source_type: 'b2c', storefront_id: 9, sku: 'P-3' });
    const movement = (overrides: Record<string, unknown>) =>
      db
        .knex('inventory_movements')
        .insert({ listing_id: product.id, movement_type: 'out', quantity: -2, ...overrides });
    await movement({});
    await movement({ movement_type: 'adjustment', quantity: -5 });
    await expectRejected(movement({ quantity: 0 }), CHECK_VIOLATION, 'inventory_movements_quantity_check');
    await expectRejected(
      movement({ movement_type: 'rollback', quantity: 2 }),
      CHECK_VIOLATION,
      'inventory_movements_rollback_order_check',
    );
    await movement({ movement_type: 'rollback', quantity: 2, order_id: 'order-1' });
    await expectRejected(
      movement({ movement_type: 'rollback', quantity: 2, order_id: 'order-1' }),
      UNIQUE_VIOLATION,
      'uq_inventory_movements_rollback_order',
    );
    await movement({ movement_type: 'rollback', quantity: 2, order_id: 'order-1', variant_id: 11 });
    await movement({ movement_type: 'rollback', quantity: 2, order_id: 'order-2' });
  });

  it('coalesces outbox jobs to one pending row per listing, and keeps jobs of hard-deleted listings', async () => {
    const listing = await insertListing(db.knex, categoryId);
    const enqueue = (operation: string, version: number) =>
      db.knex.raw(
        `INSERT INTO indexing_queue (listing_id, operation, listing_version) VALUES (?, ?, ?)
         ON CONFLICT (listing_id) WHERE status = 'pending'
         DO UPDATE SET operation = EXCLUDED.operation,
                       listing_version = GREATEST(indexing_queue.listing_version, EXCLUDED.listing_version)`,
        [listing.id, operation, version],
      );
    await enqueue('index', 1);
    await enqueue('update', 2);
    const jobs = await db.knex('indexing_queue').where({ listing_id: listing.id });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ operation: 'update', listing_version: 2, status: 'pending', retry_count: 0 });
    expect(jobs[0].available_at).toBeInstanceOf(Date);
    await expectRejected(
      db.knex('indexing_queue').insert({ listing_id: listing.id, operation: 'index' }),
      UNIQUE_VIOLATION,
      'uq_indexing_queue_pending_listing',
    );
    await expectRejected(
      db.knex('indexing_queue').insert({ listing_id: listing.id, operation: 'index', status: 'lost' }),
      CHECK_VIOLATION,
      'indexing_queue_status_check',
    );
    await db.knex('indexing_queue').where({ listing_id: listing.id }).update({ status: 'dead' });
    await enqueue('delete', 3);
    await db.knex('listings').where({ id: listing.id }).del();
    expect(await db.knex('indexing_queue').where({ listing_id: listing.id }).count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('cascades side rows and favorites with their listing', async () => {
    const listing = await insertListing(db.knex, categoryId);
    await db
      .knex('listing_attributes')
      .insert({ listing_id: listing.id, attribute_key: 'color', attribute_value: 'red' });
    await expectRejected(
      db.knex('listing_attributes').insert({ listing_id: listing.id, attribute_key: 'color' }),
      UNIQUE_VIOLATION,
      'listing_attributes_listing_id_attribute_key_key',
    );
    await db
      .knex('listing_images')
      .insert({ listing_id: listing.id, url: 'https://cdn/x.jpg', storage_key: 'a/x.jpg' });
    await db.knex('listing_tags').insert({ listing_id: listing.id, tag: 'vintage' });
    await db.knex('listing_locations').insert({ listing_id: listing.id, city: 'Novi Sad', latitude: '45.25' });
    await db.knex('listing_stats').insert({ listing_id: listing.id });
    await db.knex('c2c_favorites').insert({ user_id: 5, listing_id: listing.id });
    await db.knex('listings').where({ id: listing.id }).del();
    for (const table of [
      'listing_attributes',
      'listing_images',
      'listing_tags',
      'listing_locations',
      'listing_stats',
    ]) {
      expect(await db.knex(table).where({ listing_id: listing.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
    }
    expect(await db.knex('c2c_favorites').where({ listing_id: listing.id })).toEqual([]);
  });

  it('keeps category levels consistent and idempotency keys well-formed', async () => {
    await expectRejected(
      db.knex('c2c_categories').insert({ name: 'Orphan', slug: 'orphan', level: 1 }),
      CHECK_VIOLATION,
      'check_root_categories_level',
    );
    await db.knex('c2c_categories').insert({ name: 'Road', slug: 'road', parent_id: categoryId, level: 1 });
    const key = { scope: 'listings.create', principal: 'user:7', key: 'k-1', request_hash: 'abc' };
    const expires = db.knex.raw(`now() + interval '1 day'`);
    await db.knex('idempotency_keys').insert({ ...key, expires_at: expires });
    await expectRejected(
      db.knex('idempotency_keys').insert({ ...key, expires_at: expires }),
      UNIQUE_VIOLATION,
      'idempotency_keys_pkey',
    );
    await expectRejected(
      db.knex('idempotency_keys').where(key).update({ status: 'completed' }),
      CHECK_VIOLATION,
      'idempotency_keys_response_check',
    );
    await db
      .knex('idempotency_keys')
      .where(key)
      .update({ status: 'completed', response: JSON.stringify({ id: 1 }) });
  });
});
