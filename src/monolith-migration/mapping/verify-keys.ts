/**
 * Key-column checksums of verify (§4.8): the expected side from mapped rows, and the SQL that computes the actual
 * side from the target so both produce the same canonical text (§3.1).
 *
 * Per table: the canonical text of the key columns of each row, rows ordered by the table's key within a bucket of
 * 10,000 ids (listing id for favorites and attributes), checksum = md5 of the bucket's rows joined by `\n`.
 */
import { canonicalRecord, md5Hex } from './canonical-text.ts';
import { VERIFY_BUCKET_SIZE } from './constants.ts';
import type {
  TargetCategoryRow,
  TargetFavoriteRow,
  TargetListingAttributeRow,
  TargetListingImageRow,
  TargetListingRow,
  TargetStorefrontRow,
  TargetVariantRow,
} from './target-rows.ts';

export interface VerifiedRows {
  listings: TargetListingRow;
  listing_images: TargetListingImageRow;
  storefronts: TargetStorefrontRow;
  c2c_categories: TargetCategoryRow;
  c2c_favorites: TargetFavoriteRow;
  listing_attributes: TargetListingAttributeRow;
  b2c_product_variants: TargetVariantRow;
}
export type VerifiedTable = keyof VerifiedRows;

interface KeySpec<R> {
  /** Canonical text of the row's key columns. */
  readonly text: (row: R) => string;
  /** The id that decides the bucket. */
  readonly bucketId: (row: R) => number;
  /** Order within a bucket (the SQL side orders the same way). */
  readonly compare: (a: R, b: R) => number;
  /** SQL producing the same text from the target table (alias-free column names). */
  readonly sql: { readonly text: string; readonly bucketId: string; readonly orderBy: string };
}

const md5OrNull = (text: string | null) => (text === null ? null : md5Hex(text));
const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

/** COLLATE "C" order: UTF-8 bytes. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const NULL_TEXT = String.raw`'\N'`;
const txt = (column: string) => `coalesce(${column}::text, ${NULL_TEXT})`;
const tstz = (column: string) =>
  `coalesce(to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ${NULL_TEXT})`;
const naive = (column: string) => `coalesce(to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ${NULL_TEXT})`;
const fields = (parts: readonly string[]) => `concat_ws(E'\\x1f', ${parts.join(', ')})`;

export const KEY_SPECS: { readonly [T in VerifiedTable]: KeySpec<VerifiedRows[T]> } = {
  listings: {
    text: (r) =>
      canonicalRecord([
        r.id,
        r.uuid,
        r.source_type,
        r.user_id,
        r.storefront_id,
        r.category_id,
        r.title,
        md5OrNull(r.description),
        r.price,
        r.currency,
        r.status,
        r.quantity,
        r.sku,
        r.view_count,
        r.favorites_count,
        r.sold_count,
        r.created_at,
        r.updated_at,
        r.published_at,
        r.is_deleted,
      ]),
    bucketId: (r) => r.id,
    compare: byId,
    sql: {
      text: fields([
        txt('id'),
        txt('uuid'),
        txt('source_type'),
        txt('user_id'),
        txt('storefront_id'),
        txt('category_id'),
        txt('title'),
        txt('md5(description)'),
        txt('price'),
        txt('currency'),
        txt('status'),
        txt('quantity'),
        txt('sku'),
        txt('view_count'),
        txt('favorites_count'),
        txt('sold_count'),
        tstz('created_at'),
        tstz('updated_at'),
        tstz('published_at'),
        txt('is_deleted'),
      ]),
      bucketId: 'id',
      orderBy: 'id',
    },
  },
  listing_images: {
    text: (r) => canonicalRecord([r.id, r.listing_id, r.url, r.display_order, r.is_primary, r.created_at]),
    bucketId: (r) => r.id,
    compare: byId,
    sql: {
      text: fields([
        txt('id'),
        txt('listing_id'),
        txt('url'),
        txt('display_order'),
        txt('is_primary'),
        tstz('created_at'),
      ]),
      bucketId: 'id',
      orderBy: 'id',
    },
  },
  storefronts: {
    text: (r) => canonicalRecord([r.id, r.slug, r.user_id, r.name, r.created_at]),
    bucketId: (r) => r.id,
    compare: byId,
    sql: {
      text: fields([txt('id'), txt('slug'), txt('user_id'), txt('name'), naive('created_at')]),
      bucketId: 'id',
      orderBy: 'id',
    },
  },
  c2c_categories: {
    text: (r) => canonicalRecord([r.id, r.parent_id, r.slug, r.level]),
    bucketId: (r) => r.id,
    compare: byId,
    sql: { text: fields([txt('id'), txt('parent_id'), txt('slug'), txt('level')]), bucketId: 'id', orderBy: 'id' },
  },
  c2c_favorites: {
    text: (r) => canonicalRecord([r.user_id, r.listing_id, r.created_at]),
    bucketId: (r) => r.listing_id,
    compare: (a, b) => a.listing_id - b.listing_id || a.user_id - b.user_id,
    sql: {
      text: fields([txt('user_id'), txt('listing_id'), naive('created_at')]),
      bucketId: 'listing_id',
      orderBy: 'listing_id, user_id',
    },
  },
  listing_attributes: {
    text: (r) => canonicalRecord([r.listing_id, r.attribute_key, r.attribute_value]),
    bucketId: (r) => r.listing_id,
    compare: (a, b) => a.listing_id - b.listing_id || byteOrder(a.attribute_key, b.attribute_key),
    sql: {
      text: fields([txt('listing_id'), txt('attribute_key'), txt('attribute_value')]),
      bucketId: 'listing_id',
      orderBy: 'listing_id, attribute_key COLLATE "C"',
    },
  },
  b2c_product_variants: {
    text: (r) => canonicalRecord([r.id, r.product_id, r.sku, r.price, r.stock_quantity]),
    bucketId: (r) => r.id,
    compare: byId,
    sql: {
      text: fields([txt('id'), txt('product_id'), txt('sku'), txt('price'), txt('stock_quantity')]),
      bucketId: 'id',
      orderBy: 'id',
    },
  },
};

export function bucketOf(id: number): number {
  return Math.floor(id / VERIFY_BUCKET_SIZE);
}

/** The canonical key-column text of one mapped row. */
export function keyColumnText<T extends VerifiedTable>(table: T, row: VerifiedRows[T]): string {
  return KEY_SPECS[table].text(row);
}

export interface BucketChecksum {
  readonly rows: number;
  readonly md5: string;
}

/** Expected checksums per bucket from mapped rows (any order in; buckets sorted out). */
export function expectedChecksums<T extends VerifiedTable>(
  table: T,
  rows: Iterable<VerifiedRows[T]>,
): Map<number, BucketChecksum> {
  const spec = KEY_SPECS[table] as KeySpec<VerifiedRows[T]>;
  const buckets = new Map<number, VerifiedRows[T][]>();
  for (const row of rows) {
    const bucket = bucketOf(spec.bucketId(row));
    let list = buckets.get(bucket);
    if (list === undefined) {
      list = [];
      buckets.set(bucket, list);
    }
    list.push(row);
  }
  const out = new Map<number, BucketChecksum>();
  for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
    const list = (buckets.get(bucket) ?? []).sort(spec.compare);
    out.set(bucket, { rows: list.length, md5: md5Hex(list.map(spec.text).join('\n')) });
  }
  return out;
}

/**
 * The actual side: one row per bucket (`bucket`, `rows`, `md5`) of the target table, restricted by `where` (e.g.
 * to the ids the migration wrote). `where` is SQL the caller owns; no value is interpolated here.
 */
export function actualChecksumSql(table: VerifiedTable, where = 'true'): string {
  const { sql } = KEY_SPECS[table];
  return (
    `SELECT (${sql.bucketId}) / ${VERIFY_BUCKET_SIZE} AS bucket, count(*)::int AS rows, ` +
    `md5(string_agg(${sql.text}, E'\\n' ORDER BY ${sql.orderBy})) AS md5 ` +
    `FROM ${table} WHERE ${where} GROUP BY 1 ORDER BY 1`
  );
}
