/**
 * Mapped rows against the real target schema (PostgreSQL 15, migrations applied): every row the mapping produces
 * for a varied set of source rows (repairs included) is accepted by the target's constraints and triggers, and the
 * verify key-column checksums computed from the mapped rows equal those the SQL side computes from the stored rows.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { mapAttributeValue } from '../../../src/monolith-migration/mapping/attribute-values.ts';
import { mapB2cProduct } from '../../../src/monolith-migration/mapping/b2c-products.ts';
import { mapC2cListing } from '../../../src/monolith-migration/mapping/c2c-listings.ts';
import { mapCategory, mapStore } from '../../../src/monolith-migration/mapping/categories-and-stores.ts';
import { mapB2cFavorite, mapC2cFavorite } from '../../../src/monolith-migration/mapping/favorites-and-movements.ts';
import { mapB2cProductImages, mapC2cImages } from '../../../src/monolith-migration/mapping/images.ts';
import type { Mapped, MappingResult, ParentListing } from '../../../src/monolith-migration/mapping/types.ts';
import { mapB2cVariant, mapC2cVariant } from '../../../src/monolith-migration/mapping/variants.ts';
import {
  actualChecksumSql,
  expectedChecksums,
  type VerifiedRows,
  type VerifiedTable,
} from '../../../src/monolith-migration/mapping/verify-keys.ts';
import { freshPostgres, type TestDatabase } from '../../support/databases.ts';
import {
  attributeValue,
  b2cImage,
  b2cProduct,
  b2cRelated,
  b2cVariant,
  c2cImage,
  c2cListing,
  c2cRelated,
  category,
  context,
  store,
} from '../../unit/monolith-migration/mapping-support.ts';

const ctx = context({
  sourceZone: 'Europe/Belgrade',
  categories: [10, 11, 10233],
  stores: { 43: 7 },
  options: { priceFallback: '99.5' },
});

function mapped<T>(result: MappingResult<T>): Mapped<T> {
  if (result.kind === 'rejected') throw new Error(`${result.code}: ${result.detail}`);
  return result;
}

const parentOf = (listing: { id: number; created_at: string }): ParentListing => ({
  state: 'migrated',
  id: listing.id,
  createdAt: listing.created_at,
});

/** A varied source: Cyrillic, emoji, repairs, deleted and unknown statuses, DST times, B2C with variants. */
function mappedRows(): { [T in VerifiedTable]: VerifiedRows[T][] } & { locations: object[] } {
  const categories = [
    mapped(mapCategory(category({ id: 10, parent_id: null, level: 0, slug: 'elektronika' }), ctx)).row,
    mapped(mapCategory(category({ id: 11, parent_id: null, level: 0, slug: 'hrana' }), ctx)).row,
    mapped(mapCategory(category({ id: 10233, parent_id: 10, slug: 'telefoni' }), ctx)).row,
  ];
  const storefronts = [
    mapped(mapStore(store({ slug: '', country: 'Srbija', created_at: '2025-03-30 02:30:00' }), ctx)).row,
  ];
  const c2cSources = [
    c2cListing(),
    c2cListing({ id: 1072, title: 'TV', status: 'deleted', description: null, storefront_id: 43 }),
    c2cListing({ id: 1073, title: '', status: ' Pending', price: null, metadata: '{"currency": "eur"}' }),
    c2cListing({ id: 1074, title: '😀 emoji ok', status: null, created_at: null, updated_at: '2025-10-26 02:30:00.5' }),
    c2cListing({
      id: 1075,
      title: 'Ж'.repeat(255),
      status: 'weird',
      latitude: '0.00000000',
      longitude: '0.00000000',
      address_multilingual: '{"city_sr": "Нови Сад", "postal_code": "21000"}',
    }),
  ];
  const listingBundles = c2cSources.map(
    (row) =>
      mapped(
        mapC2cListing(
          row,
          c2cRelated({ variantCount: row.id === 1070 ? 1 : 0, favoritesCount: row.id === 1070 ? 2 : 0 }),
          ctx,
        ),
      ).row,
  );
  const b2cBundle = mapped(
    mapB2cProduct(
      b2cProduct({
        stock_quantity: 3,
        currency: 'us ',
        location_privacy: 'city',
        has_individual_location: true,
        individual_address: 'Bulevar 1',
      }),
      b2cRelated({ favoritesCount: 1 }),
      ctx,
    ),
  ).row;
  const bundles = [...listingBundles, b2cBundle];
  const [first] = listingBundles;
  if (first === undefined) throw new Error('no listing');
  const images = [
    ...mapC2cImages(
      [c2cImage({ id: 1, display_order: 1 }), c2cImage({ id: 2, display_order: 1, is_main: true, public_url: null })],
      parentOf(first.listing),
      ctx,
    ),
    ...mapB2cProductImages(
      [b2cImage({ id: 1 }), b2cImage({ id: 2, is_default: true })],
      parentOf(b2cBundle.listing),
      ctx,
    ),
  ].map((r) => mapped(r).row);
  const favorites = [
    mapped(mapC2cFavorite({ user_id: 3, listing_id: 1070, created_at: null }, parentOf(first.listing), ctx)).row,
    mapped(
      mapC2cFavorite({ user_id: 4, listing_id: 1070, created_at: '2025-10-26 02:30:00' }, parentOf(first.listing), ctx),
    ).row,
    mapped(
      mapB2cFavorite(
        { user_id: 3, product_id: 1071, created_at: '2025-10-21 10:00:00' },
        parentOf(b2cBundle.listing),
        ctx,
      ),
    ).row,
  ];
  const attributes = [
    mapped(mapAttributeValue(attributeValue({ entity_id: 1072, text_value: 'Црна ✓' }), parentOf(first.listing), ctx))
      .row,
    mapped(
      mapAttributeValue(
        attributeValue({ entity_id: 1071, entity_type: 'product', text_value: null, json_value: '{"a": 1.50}' }),
        parentOf(b2cBundle.listing),
        ctx,
      ),
    ).row,
    ...bundles.flatMap((b) => (b.conditionAttribute === null ? [] : [b.conditionAttribute])),
  ] as VerifiedRows['listing_attributes'][];
  const variants = [
    mapped(mapB2cVariant(b2cVariant(), { images: [], attributeValues: [] }, parentOf(b2cBundle.listing), ctx)).row,
    mapped(
      mapC2cVariant(
        {
          id: 3,
          listing_id: 1070,
          sku: 'TV-55',
          price: '35000',
          stock: -1,
          attributes: '{}',
          image_url: null,
          is_active: true,
          created_at: null,
          updated_at: null,
        },
        parentOf(first.listing),
        ctx,
      ),
    ).row,
  ];
  return {
    c2c_categories: categories,
    storefronts,
    listings: bundles.map((b) => b.listing),
    locations: bundles.flatMap((b) => (b.location === null ? [] : [b.location])),
    listing_images: images,
    c2c_favorites: favorites,
    listing_attributes: attributes,
    b2c_product_variants: variants,
  };
}

let database: TestDatabase;
let knex: Knex;
const rows = mappedRows();

beforeAll(async () => {
  database = await freshPostgres('listings_monomap');
  knex = database.knex;
  await new KnexSchemaMigrator(knex).latest();
  await knex('c2c_categories').insert(rows.c2c_categories);
  await knex('storefronts').insert(rows.storefronts);
  await knex('listings').insert(rows.listings);
  await knex('listing_locations').insert(rows.locations);
  await knex('listing_images').insert(rows.listing_images);
  await knex('c2c_favorites').insert(rows.c2c_favorites);
  await knex('listing_attributes').insert(rows.listing_attributes);
  await knex('b2c_product_variants').insert(rows.b2c_product_variants);
});

afterAll(async () => {
  await database?.dispose();
});

describe('mapped rows in the real target schema', () => {
  it('are all accepted (constraints, triggers) and stored', async () => {
    const counts = await knex.raw(`SELECT (SELECT count(*) FROM listings)::int AS listings,
      (SELECT count(*) FROM listing_images)::int AS images, (SELECT count(*) FROM listing_locations)::int AS locations`);
    expect(counts.rows[0]).toEqual({
      listings: rows.listings.length,
      images: rows.listing_images.length,
      locations: rows.locations.length,
    });
  });

  it('keep the stock status the trigger derives (the mapping wrote the same)', async () => {
    const stored = (await knex('listings').select('id', 'stock_status').orderBy('id')) as {
      id: unknown;
      stock_status: string;
    }[];
    expect(stored.map((l) => [Number(l.id), l.stock_status])).toEqual(
      [...rows.listings].sort((a, b) => a.id - b.id).map((l) => [l.id, l.stock_status]),
    );
    const variants = await knex('b2c_product_variants').select('id', 'stock_status').orderBy('id');
    expect(variants.map((v) => v.stock_status)).toEqual(rows.b2c_product_variants.map((v) => v.stock_status));
  });

  it.each([
    'listings',
    'listing_images',
    'storefronts',
    'c2c_categories',
    'c2c_favorites',
    'listing_attributes',
    'b2c_product_variants',
  ] as const)('give the key-column checksums the SQL side computes for %s', async (table) => {
    const actual = (await knex.raw(actualChecksumSql(table))) as {
      rows: { bucket: string | number; rows: number; md5: string }[];
    };
    const expected = expectedChecksums(table, rows[table] as VerifiedRows[typeof table][]);
    expect(actual.rows.map((r) => [Number(r.bucket), { rows: r.rows, md5: r.md5 }])).toEqual([...expected]);
    expect(expected.size).toBeGreaterThan(0);
  });
});
