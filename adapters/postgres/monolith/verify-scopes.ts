import type { IdSetTable } from '../../../ports/monolith-verification.ts';
import type { TargetTable, VerifiedTable } from '../../../src/monolith-migration/mapping/index.ts';

/** Listings the migration owns: live id_map entries of the two listing sources. */
const OWNED_LISTINGS = `(SELECT target_id::bigint FROM monolith_migration.id_map
  WHERE source_table IN ('c2c_listings', 'b2c_products') AND deleted_at IS NULL)`;

const owned = (sourceTable: string) =>
  `(SELECT target_id::bigint FROM monolith_migration.id_map WHERE source_table = '${sourceTable}' AND deleted_at IS NULL)`;

/**
 * The target rows verify answers for, per table (ports/monolith-verification.ts): owned listings, every row of
 * their children whoever wrote it (a row added by hand is a difference), owned stores and categories.
 */
export const TARGET_SCOPE: Readonly<Record<VerifiedTable | IdSetTable, string>> = {
  listings: `id IN ${OWNED_LISTINGS}`,
  listing_images: `listing_id IN ${OWNED_LISTINGS}`,
  listing_attributes: `listing_id IN ${OWNED_LISTINGS}`,
  c2c_favorites: `listing_id IN ${OWNED_LISTINGS}`,
  b2c_product_variants: `product_id IN ${OWNED_LISTINGS}`,
  storefronts: `id IN ${owned('b2c_stores')}`,
  c2c_categories: `id IN ${owned('c2c_categories')}`,
};

/** How id_map's target_id names a row of each table, and a NOT NULL column that shows the row exists. */
export const TARGET_KEY: Readonly<Partial<Record<TargetTable, { readonly key: string; readonly present: string }>>> = {
  c2c_categories: { key: 't.id::text', present: 't.id' },
  storefronts: { key: 't.id::text', present: 't.id' },
  listings: { key: 't.id::text', present: 't.id' },
  listing_images: { key: 't.id::text', present: 't.id' },
  b2c_product_variants: { key: 't.id::text', present: 't.id' },
  inventory_movements: { key: 't.id::text', present: 't.id' },
  c2c_favorites: { key: `t.user_id::text || ':' || t.listing_id::text`, present: 't.listing_id' },
  listing_attributes: { key: `t.listing_id::text || ':' || t.attribute_key`, present: 't.listing_id' },
};

/** PostgreSQL's text of a timestamp(tz) under TimeZone UTC, DateStyle ISO → canonical `…T…ffffffZ` (§3.1). */
export function canonicalTimestamp(text: string): string {
  const match = /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:[+-]00(?::?00)?)?$/.exec(text);
  if (!match) return text;
  return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(6, '0')}Z`;
}
