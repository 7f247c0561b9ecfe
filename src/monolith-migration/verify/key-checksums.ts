/**
 * Verify's key-column layer (§4.8): expected digests from the mapping pass against the target's, per bucket; a
 * mismatching bucket is drilled down to rows (identity → key text on each side) and fields.
 */
import { FIELD_SEPARATOR, type VerifiedTable } from '../mapping/index.ts';
import type { DifferenceLog } from './differences.ts';

/** Column names of each table's key text (the order of mapping/verify-keys.ts) and how many lead the identity. */
export const KEY_FIELDS: {
  readonly [T in VerifiedTable]: { readonly names: readonly string[]; readonly identity: number };
} = {
  listings: {
    names: [
      'id',
      'uuid',
      'source_type',
      'user_id',
      'storefront_id',
      'category_id',
      'title',
      'md5(description)',
      'price',
      'currency',
      'status',
      'quantity',
      'sku',
      'view_count',
      'favorites_count',
      'sold_count',
      'created_at',
      'updated_at',
      'published_at',
      'is_deleted',
    ],
    identity: 1,
  },
  listing_images: { names: ['id', 'listing_id', 'url', 'display_order', 'is_primary', 'created_at'], identity: 1 },
  storefronts: { names: ['id', 'slug', 'user_id', 'name', 'created_at'], identity: 1 },
  c2c_categories: { names: ['id', 'parent_id', 'slug', 'level'], identity: 1 },
  c2c_favorites: { names: ['user_id', 'listing_id', 'created_at'], identity: 2 },
  listing_attributes: { names: ['listing_id', 'attribute_key', 'attribute_value'], identity: 2 },
  b2c_product_variants: { names: ['id', 'product_id', 'sku', 'price', 'stock_quantity'], identity: 1 },
};

/** Buckets drilled down per table; further mismatching buckets are only listed. */
export const DRILLED_BUCKETS = 5;

function byIdentity(table: VerifiedTable, texts: readonly string[]): Map<string, string[]> {
  const { identity } = KEY_FIELDS[table];
  const rows = new Map<string, string[]>();
  for (const text of texts) {
    const fields = text.split(FIELD_SEPARATOR);
    rows.set(fields.slice(0, identity).join(':'), fields);
  }
  return rows;
}

/** Row and field differences of one bucket, from both sides' key texts. Returns how many were found. */
export function drillDown(
  table: VerifiedTable,
  bucket: number,
  expectedTexts: readonly string[],
  actualTexts: readonly string[],
  log: DifferenceLog,
): number {
  const { names } = KEY_FIELDS[table];
  const expected = byIdentity(table, expectedTexts);
  const actual = byIdentity(table, actualTexts);
  let found = 0;
  for (const [id, fields] of expected) {
    const other = actual.get(id);
    if (other === undefined) {
      log.add({ layer: 'checksums', table, id, field: '(row)', expected: 'present', actual: 'missing' });
      found++;
      continue;
    }
    for (let i = 0; i < Math.max(fields.length, other.length); i++) {
      if (fields[i] === other[i]) continue;
      const field = fields.length === names.length ? (names[i] ?? `#${i}`) : `#${i}`;
      log.add({ layer: 'checksums', table, id, field, expected: fields[i] ?? null, actual: other[i] ?? null });
      found++;
    }
  }
  for (const id of actual.keys()) {
    if (expected.has(id)) continue;
    log.add({ layer: 'checksums', table, id, field: '(row)', expected: 'absent', actual: 'present' });
    found++;
  }
  if (found === 0) {
    // Same rows, yet different digests: duplicate identities on one side, or texts a split cannot tell apart.
    log.add({
      layer: 'checksums',
      table,
      id: `bucket ${bucket}`,
      field: '(rows)',
      expected: expectedTexts.length,
      actual: actualTexts.length,
    });
    found = 1;
  }
  return found;
}
