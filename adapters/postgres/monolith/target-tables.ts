import type { TargetTable } from '../../../src/monolith-migration/mapping/index.ts';
import type { TargetTableSpec } from './staged-upsert.ts';

/** How each target table is upserted (keys of the listings schema, migrations/2026112500000{2..5}). */
export const TARGET_TABLES: Readonly<Record<TargetTable, TargetTableSpec>> = {
  c2c_categories: { table: 'c2c_categories', key: ['id'] },
  storefronts: { table: 'storefronts', key: ['id'] },
  listings: { table: 'listings', key: ['id'], listingColumn: 'id', derived: ['stock_status'] },
  listing_locations: { table: 'listing_locations', key: ['listing_id'], listingColumn: 'listing_id' },
  listing_attributes: {
    table: 'listing_attributes',
    key: ['listing_id', 'attribute_key'],
    listingColumn: 'listing_id',
  },
  listing_images: { table: 'listing_images', key: ['id'], listingColumn: 'listing_id' },
  b2c_product_variants: {
    table: 'b2c_product_variants',
    key: ['id'],
    listingColumn: 'product_id',
    derived: ['stock_status'],
  },
  c2c_favorites: { table: 'c2c_favorites', key: ['user_id', 'listing_id'], listingColumn: 'listing_id' },
  inventory_movements: { table: 'inventory_movements', key: ['id'], listingColumn: 'listing_id' },
};

/** Target tables keyed by a single `id` the migration sets (TARGET_ID_TAKEN applies to them). */
export const ID_KEYED: ReadonlySet<TargetTable> = new Set([
  'c2c_categories',
  'storefronts',
  'listings',
  'listing_images',
  'b2c_product_variants',
  'inventory_movements',
]);

/** Tables holding a listing's owned children: hard-deleted when the listing is soft-deleted (§4.4). */
export const OWNED_CHILDREN: readonly { readonly table: string; readonly listingColumn: string }[] = [
  { table: 'listing_images', listingColumn: 'listing_id' },
  { table: 'listing_attributes', listingColumn: 'listing_id' },
  { table: 'listing_locations', listingColumn: 'listing_id' },
  { table: 'c2c_favorites', listingColumn: 'listing_id' },
  { table: 'b2c_product_variants', listingColumn: 'product_id' },
];
