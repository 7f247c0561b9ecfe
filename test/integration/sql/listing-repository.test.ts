import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ListingKey } from '../../../ports/listing-repository.ts';
import { describeListingRepositoryContract } from '../../contracts/listing-repository.contract.ts';
import { newListing } from '../../contracts/unit-of-work.contract.ts';
import { openSqlHarness, SQL_TARGETS, type SqlHarness } from './sql-harness.ts';

for (const target of SQL_TARGETS) describeListingRepositoryContract(target, () => openSqlHarness(target));

describe.each(SQL_TARGETS)('KnexListingRepository on %s', (target) => {
  let harness: SqlHarness;
  let categoryId: number;
  beforeAll(async () => {
    harness = await openSqlHarness(target);
  });
  afterAll(async () => {
    await harness?.dispose();
  });
  beforeEach(async () => {
    await harness.reset();
    categoryId = await harness.seedCategory({ slug: 'bikes' });
  });

  it('pages by key exactly over microsecond timestamps that a Date cannot hold', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push((await harness.plain.listings.insert(newListing(categoryId))).id);
    // Rows written by DEFAULT now() or migrated keep microseconds: put six of them inside one millisecond.
    await harness.knex.raw(
      `UPDATE listings SET created_at = timestamptz '2026-03-01 12:00:00.123000+00' + (id % 6) * interval '100 microseconds'`,
    );
    const expected = (
      (await harness.knex.raw('SELECT id FROM listings ORDER BY created_at DESC, id DESC')) as {
        rows: { id: number }[];
      }
    ).rows.map((row) => row.id);
    const seen: number[] = [];
    let after: ListingKey | null = null;
    do {
      const page = await harness.plain.listings.list({}, { limit: 5, after });
      seen.push(...page.items.map((item) => item.id));
      after = page.nextKey;
    } while (after !== null && seen.length <= 12);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(ids.length);
  });

  it('reads side rows for a whole page with one statement', async () => {
    // The oldest, beyond the page: more rows follow, so the total is counted.
    await harness.plain.listings.insert(newListing(categoryId));
    for (let i = 0; i < 10; i++) {
      const stored = await harness.plain.listings.insert(newListing(categoryId));
      await harness.plain.listings.replaceRelations(stored.id, { tags: ['a', 'b'], attributeEntries: { k: 'v' } });
    }
    const reads = await readsOf(
      () => harness.plain.listings.list({}, { limit: 10, offset: 0 }),
      (page) => {
        expect(page.items).toHaveLength(10);
        expect(page.items.every((item) => item.tags.length === 2 && item.attributeEntries.length === 1)).toBe(true);
      },
    );
    // The page, its total (more rows follow), and the page's side rows.
    expect(reads).toHaveLength(3);
    expect(reads.filter((sql) => /FROM listing_side_rows\s+WHERE listing_id = ANY\(/.test(sql))).toHaveLength(1);
  });

  it('takes the total from the page when the page reaches the last match from the first, and counts otherwise', async () => {
    for (let i = 0; i < 12; i++) await harness.plain.listings.insert(newListing(categoryId));
    const other = await harness.seedCategory({ slug: 'cars' });
    await harness.plain.listings.insert(newListing(other));
    const list = harness.plain.listings.list.bind(harness.plain.listings);
    const counts = (reads: readonly string[]) => reads.filter((sql) => /count\(\*\)/i.test(sql)).length;
    const totalOf = async (...args: Parameters<typeof list>) => {
      let total = -1;
      const reads = await readsOf(
        () => list(...args),
        (page) => {
          total = page.total;
        },
      );
      return [total, counts(reads)];
    };
    const bikes = { categoryId };
    // [total, COUNT statements]
    expect(await totalOf(bikes, { limit: 5, offset: 10 })).toEqual([12, 0]);
    expect(await totalOf(bikes, { limit: 2, offset: 10 })).toEqual([12, 0]);
    expect(await totalOf(bikes, { limit: 12, offset: 0 })).toEqual([12, 0]);
    expect(await totalOf(bikes, { limit: 20, after: null })).toEqual([12, 0]);
    expect(await totalOf({ categoryId: other + 100 }, { limit: 20, offset: 0 })).toEqual([0, 0]);
    // More rows follow, the page starts past the end, or a keyset page does not start at the first match.
    expect(await totalOf(bikes, { limit: 5, offset: 0 })).toEqual([12, 1]);
    expect(await totalOf(bikes, { limit: 11, after: null })).toEqual([12, 1]);
    expect(await totalOf(bikes, { limit: 5, offset: 12 })).toEqual([12, 1]);
    expect(await totalOf(bikes, { limit: 5, offset: 40 })).toEqual([12, 1]);
    const first = await list(bikes, { limit: 10, after: null });
    expect(await totalOf(bikes, { limit: 10, after: first.nextKey })).toEqual([12, 1]);
    expect(await totalOf({}, { limit: 20, offset: 0 })).toEqual([13, 0]);
  });

  /** The statements `read` sends, without transaction control; `check` sees its result. */
  async function readsOf<T>(read: () => Promise<T>, check: (result: T) => void): Promise<string[]> {
    const statements: string[] = [];
    const record = (query: { sql: string }) => statements.push(query.sql);
    harness.knex.on('query', record);
    try {
      check(await read());
    } finally {
      harness.knex.off('query', record);
    }
    return statements.filter((sql) => !/^(BEGIN|COMMIT|ROLLBACK|SET TRANSACTION)/i.test(sql.trim()));
  }

  it('translates constraint violations: bad values are VALIDATION_FAILED, broken invariants INTERNAL', async () => {
    const listings = harness.plain.listings;
    const error = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(await error(listings.insert(newListing(categoryId + 100)))).toMatchObject({
      code: 'VALIDATION_FAILED',
      violations: [{ field: 'category_id', reason: 'not_found', message: 'category not found' }],
    });
    expect(await error(listings.insert(newListing(categoryId, { title: '  ab  ' })))).toMatchObject({
      code: 'VALIDATION_FAILED',
      violations: [{ field: 'title' }],
    });
    expect(await error(listings.insert(newListing(categoryId, { sourceType: 'b2c' })))).toMatchObject({
      code: 'INTERNAL',
      details: { sqlState: '23514', constraint: 'listings_storefront_source_check' },
    });
    expect(await error(listings.insert(newListing(categoryId, { sku: 'x'.repeat(101) })))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await error(listings.insert(newListing(categoryId, { description: 'nul \u0000 inside' })))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
