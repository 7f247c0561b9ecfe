import type { Knex } from 'knex';

/**
 * Indexes for ListListings (adapters/sql/listing-queries.ts) at 100,000+ listings: its page order and its `total`.
 *
 * - Page order is `created_at DESC, id DESC`. The 000003 indexes ended at `created_at`, so with `id` as tie-breaker
 *   the planner sorted the matches: an incremental sort per equal `created_at`, which is every row when rows share
 *   one (bulk-loaded or migrated rows do: 130-320 ms at 100,000). The same indexes now end in `id DESC`, so a page
 *   (offset, or keyset: `(created_at, id) < (…)` is an index condition) stops after offset + limit + 1 matching
 *   entries. An index extended by a trailing column serves every use of the old one, so the old ones are dropped.
 * - `total` is an exact `COUNT(*)` of the matches (reference: "total = count of all matches"). The count of the hot
 *   filters read the heap: a seq scan of the whole table for `status = 'active'` with a wide price band or a big
 *   category (200-400 ms). `(status, price)`, and `status, price` carried (INCLUDE) in the category and storefront
 *   indexes, let these counts run as index-only scans of just the matching entries (no heap on all-visible pages).
 *   A user's listings are few, so the user index carries nothing extra.
 *
 * All partial on live rows (`is_deleted = false`), as the list reads only those. Plain CREATE INDEX (migrations run
 * in one transaction): on a large production table build them CONCURRENTLY by hand first, with these names.
 */
const LIVE = 'WHERE is_deleted = false';

/** [old name, old definition, new name, new definition] */
const REPLACED: readonly (readonly [string, string, string, string])[] = [
  [
    'idx_listings_created_at',
    `(created_at DESC) ${LIVE}`,
    'idx_listings_created_at_id',
    `(created_at DESC, id DESC) ${LIVE}`,
  ],
  [
    'idx_listings_status_created_at',
    `(status, created_at DESC) ${LIVE}`,
    'idx_listings_status_created_at_id',
    `(status, created_at DESC, id DESC) ${LIVE}`,
  ],
  [
    'idx_listings_category_created_at',
    `(category_id, created_at DESC) ${LIVE}`,
    'idx_listings_category_created_at_id',
    `(category_id, created_at DESC, id DESC) INCLUDE (status, price) ${LIVE}`,
  ],
  [
    'idx_listings_user_created_at',
    `(user_id, created_at DESC) ${LIVE}`,
    'idx_listings_user_created_at_id',
    `(user_id, created_at DESC, id DESC) ${LIVE}`,
  ],
  [
    'idx_listings_storefront_created_at',
    `(storefront_id, created_at DESC) ${LIVE} AND storefront_id IS NOT NULL`,
    'idx_listings_storefront_created_at_id',
    `(storefront_id, created_at DESC, id DESC) INCLUDE (status, price) ${LIVE} AND storefront_id IS NOT NULL`,
  ],
];

export async function up(knex: Knex): Promise<void> {
  const replace = REPLACED.map(
    ([old, , index, definition]) => `
    CREATE INDEX ${index} ON listings ${definition};
    DROP INDEX ${old};`,
  );
  await knex.raw(`${replace.join('')}
    CREATE INDEX idx_listings_status_price ON listings (status, price) ${LIVE};`);
}

export async function down(knex: Knex): Promise<void> {
  const restore = REPLACED.map(
    ([old, definition, index]) => `
    CREATE INDEX ${old} ON listings ${definition};
    DROP INDEX ${index};`,
  );
  await knex.raw(`
    DROP INDEX idx_listings_status_price;${restore.join('')}`);
}
