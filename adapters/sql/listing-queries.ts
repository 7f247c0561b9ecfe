import type { Knex } from 'knex';
import type { ListingKey, ListingPage, ListingPageResult } from '../../ports/listing-repository.ts';
import type { ListingFilter } from '../../src/domain/listing-query.ts';
import { toDecimalString } from '../../src/domain/money.ts';
import { type ListingRow, toListing } from './listing-rows.ts';
import { withSideRows } from './listing-side-rows.ts';

/**
 * ListListings: live rows matching a {@link ListingFilter}, newest first, by offset or keyset page, with the total
 * of all matches (a COUNT with the same filters, unless the page itself tells it) and side rows batched for the page.
 * Every filter and the order have an index (migrations 000003 and 20261126020000): a page reads offset + limit + 1
 * index entries in order and stops.
 */

/**
 * Live rows (`is_deleted = false`) matching every set filter. Prices compare as exact NUMERIC text. `false` is
 * written into the SQL, not bound, so the partial indexes on live rows (migrations 000003, 20261126020000) match
 * whatever plan the statement gets.
 */
export function matching(db: Knex, filter: ListingFilter): Knex.QueryBuilder {
  const query = db('listings').whereRaw('listings.is_deleted = false');
  if (filter.userId !== undefined) query.where('listings.user_id', filter.userId);
  if (filter.storefrontId !== undefined) query.where('listings.storefront_id', filter.storefrontId);
  if (filter.categoryId !== undefined) query.where('listings.category_id', filter.categoryId);
  if (filter.status !== undefined) query.where('listings.status', filter.status);
  if (filter.price?.min != null) query.whereRaw('listings.price >= ?::numeric', [toDecimalString(filter.price.min)]);
  if (filter.price?.max != null) query.whereRaw('listings.price <= ?::numeric', [toDecimalString(filter.price.max)]);
  return query;
}

/**
 * Rows strictly after `key` in `created_at DESC, id DESC` order. A JS Date holds milliseconds while `created_at`
 * holds microseconds (rows written by `DEFAULT now()` or migrated), so the exact position is read from the key's own
 * row when it still exists and agrees with the key to the millisecond; otherwise the key's time is used as given.
 */
function after(query: Knex.QueryBuilder, key: ListingKey): Knex.QueryBuilder {
  const at = key.createdAt;
  return query.whereRaw(
    `(listings.created_at, listings.id) < (COALESCE(
       (SELECT k.created_at FROM listings AS k
        WHERE k.id = ? AND k.created_at >= ?::timestamptz AND k.created_at < ?::timestamptz + interval '1 millisecond'),
       ?::timestamptz), ?)`,
    [key.id, at, at, at, key.id],
  );
}

export async function listPage(db: Knex, filter: ListingFilter, page: ListingPage): Promise<ListingPageResult> {
  const limit = Math.max(1, Math.min(page.limit, 1000));
  const rowsQuery = matching(db, filter)
    .select('listings.*')
    .orderBy([
      { column: 'listings.created_at', order: 'desc' },
      { column: 'listings.id', order: 'desc' },
    ])
    // One row beyond the page says whether more follow, for the keyset's next key and for `total` below.
    .limit(limit + 1);
  const keyset = 'after' in page;
  const offset = keyset ? 0 : Math.max(0, page.offset);
  if (keyset && page.after !== null) after(rowsQuery, page.after);
  if (offset > 0) rowsQuery.offset(offset);
  const rows = (await rowsQuery) as ListingRow[];
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const items = await withSideRows(db, pageRows.map(toListing));
  const last = items.at(-1);
  return {
    items,
    total: await total(db, filter, page, offset, pageRows.length, more),
    nextKey: keyset && more && last !== undefined ? { createdAt: last.createdAt, id: last.id } : null,
  };
}

/**
 * The number of all matches. When the page counted from the first match (offset pages, or the first keyset page)
 * is the last one and holds a row (or starts at the first match), every match is before it or on it: `offset +
 * rows`, no count needed. Otherwise an exact `COUNT(*)`, an index-only scan over the matching entries of one of the
 * 20261126020000 indexes for the hot filters: its cost grows with the number of matches (see bench/README.md).
 * Page and count see one snapshot when the caller gives them one (ListingRepository.list reads in a read-only
 * repeatable-read transaction).
 */
async function total(
  db: Knex,
  filter: ListingFilter,
  page: ListingPage,
  offset: number,
  rows: number,
  more: boolean,
): Promise<number> {
  const fromFirstMatch = !('after' in page) || page.after === null;
  if (fromFirstMatch && !more && (rows > 0 || offset === 0)) return offset + rows;
  const counted = (await matching(db, filter).count({ total: '*' })) as { total: number | string }[];
  return Number(counted[0]?.total ?? 0);
}
