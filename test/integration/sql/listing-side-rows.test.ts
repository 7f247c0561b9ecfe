import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ListingDetails } from '../../../src/domain/listing.ts';
import { newListing } from '../../contracts/unit-of-work.contract.ts';
import { listingsWithDriftedSideRows } from '../../support/side-rows-drift.ts';
import { readSideTables } from './side-tables-read.ts';
import { openSqlHarness, SQL_TARGETS, type SqlHarness } from './sql-harness.ts';

/**
 * `listing_side_rows` (migration 20261126030000) is what findById and findManyByIds return as a listing's images,
 * attributes, tags and location; triggers on the four side tables keep it. These tests write the side tables every
 * way a writer can (repositories, bulk statements, moves, deletes, concurrent transactions) and compare every read
 * of listings with side rows (findById, findManyByIds, list pages, reindex batches) with the side tables themselves.
 */
async function insertImages(knex: Knex, rows: readonly { listingId: number; order: number }[]): Promise<void> {
  // One statement for every row: the triggers see a bulk insert, as from a monolith batch.
  await knex('listing_images').insert(
    rows.map(({ listingId, order }) => ({
      listing_id: listingId,
      url: `https://cdn.example/${listingId}/${order}.jpg`,
      storage_key: `listings/${listingId}/${order}.jpg`,
      display_order: order,
      is_primary: order === 0,
      width: 800,
      height: 600,
      file_size: 5_000_000_000 + order,
      mime_type: 'image/jpeg',
      thumbnails: JSON.stringify({ small: `https://cdn.example/${listingId}/${order}-s.jpg` }),
    })),
  );
}

describe.each(SQL_TARGETS)('listing side rows kept by triggers on %s', (kind) => {
  let harness: SqlHarness;
  let categoryId: number;
  beforeAll(async () => {
    harness = await openSqlHarness(kind);
  });
  afterAll(async () => {
    await harness?.dispose();
  });
  beforeEach(async () => {
    await harness.reset();
    categoryId = await harness.seedCategory({ slug: 'bikes' });
  });

  const listings = () => harness.plain.listings;

  async function expectReadsToMatchSideTables(ids: readonly number[]): Promise<void> {
    const direct = await readSideTables(knex(), ids);
    const reads: ListingDetails[][] = [
      await listings().findManyByIds(ids),
      (await listings().listForReindex({ afterId: 0, limit: 1000, scope: 'live' })).items as ListingDetails[],
      (await listings().list({ categoryId }, { limit: 100, offset: 0 })).items as ListingDetails[],
    ];
    for (const id of ids) reads.push([(await listings().findById(id)) as ListingDetails]);
    for (const read of reads) {
      expect(read.length).toBeGreaterThan(0);
      for (const listing of read) {
        const { images, attributeEntries, tags, location } = listing;
        expect({ images, attributeEntries, tags, location }).toEqual(direct.get(listing.id));
      }
    }
    expect((await listings().findManyByIds(ids)).map((listing) => listing.id)).toEqual([...ids].sort((a, b) => a - b));
    expect(await listingsWithDriftedSideRows(knex(), ids)).toEqual([]);
  }

  it('follows repository writes, bulk inserts, moves between listings and deletes', async () => {
    const [a, b, c] = await listings().insertMany([
      newListing(categoryId),
      newListing(categoryId, { title: 'Gravel bike' }),
      newListing(categoryId, { title: 'No side rows' }),
    ]);
    if (a === undefined || b === undefined || c === undefined) throw new Error('insertMany returned too few rows');
    const ids = [a.id, b.id, c.id];

    await listings().replaceRelations(a.id, {
      tags: ['road', 'carbon'],
      attributeEntries: { frame: '56 cm', groupset: 'Ultegra' },
      location: {
        country: 'RS',
        city: 'Novi Sad',
        postalCode: '21000',
        addressLine1: null,
        addressLine2: null,
        latitude: 45.2671,
        longitude: 19.8335,
      },
    });
    await insertImages(knex(), [
      { listingId: a.id, order: 1 },
      { listingId: a.id, order: 0 },
      { listingId: b.id, order: 0 },
    ]);
    await expectReadsToMatchSideTables(ids);
    expect((await listings().findById(a.id))?.images.map((image) => image.displayOrder)).toEqual([0, 1]);
    expect(await listings().findById(c.id)).toMatchObject({
      images: [],
      attributeEntries: [],
      tags: [],
      location: null,
    });

    // An image moved to another listing leaves the first and joins the second.
    await knex()('listing_images').where({ listing_id: a.id, display_order: 1 }).update({ listing_id: b.id });
    await expectReadsToMatchSideTables(ids);
    expect((await listings().findById(a.id))?.images).toHaveLength(1);
    expect((await listings().findById(b.id))?.images).toHaveLength(2);

    await listings().replaceRelations(a.id, { tags: ['steel'], attributeEntries: {}, location: null });
    await knex()('listing_images').where({ listing_id: b.id }).delete();
    await expectReadsToMatchSideTables(ids);
    expect(await listings().findById(a.id)).toMatchObject({ tags: ['steel'], attributeEntries: [], location: null });
    expect((await listings().findById(b.id))?.images).toEqual([]);
  });

  it('lets a bulk writer defer the refresh to one call for all its listings', async () => {
    const [a, b] = await listings().insertMany([newListing(categoryId), newListing(categoryId)]);
    if (a === undefined || b === undefined) throw new Error('insertMany returned too few rows');
    await knex().transaction(async (trx) => {
      await trx.raw(`SET LOCAL listings.side_rows_refresh = 'deferred'`);
      await insertImages(trx, [
        { listingId: a.id, order: 0 },
        { listingId: b.id, order: 0 },
      ]);
      await trx('listing_tags').insert([{ listing_id: a.id, tag: 'bulk' }]);
      const stored = (await trx.raw('SELECT count(*)::int AS n FROM listing_side_rows')) as { rows: { n: number }[] };
      expect(stored.rows[0]?.n).toBe(0);
      await trx.raw('SELECT listing_side_rows_refresh_all(?::bigint[])', [[a.id, b.id]]);
    });
    await expectReadsToMatchSideTables([a.id, b.id]);
    expect((await listings().findById(a.id))?.tags).toEqual(['bulk']);
    // The setting ended with the transaction: the triggers refresh again.
    await listings().replaceRelations(b.id, { tags: ['single'] });
    await expectReadsToMatchSideTables([a.id, b.id]);
  });

  it('goes with its listing', async () => {
    const listing = await listings().insert(newListing(categoryId));
    await listings().replaceRelations(listing.id, { tags: ['road'] });
    expect(await sideRowCount(listing.id)).toBe(1);
    await listings().hardDelete(listing.id);
    expect(await sideRowCount(listing.id)).toBe(0);
  });

  const knex = () => harness.knex;
  async function sideRowCount(listingId: number): Promise<number> {
    const result = (await knex().raw('SELECT count(*)::int AS n FROM listing_side_rows WHERE listing_id = ?', [
      listingId,
    ])) as { rows: { n: number }[] };
    return result.rows[0]?.n ?? Number.NaN;
  }
});

/** PGlite has one session; concurrent writers need the server. */
describe('listing side rows under concurrent writers (PostgreSQL 15)', () => {
  let harness: SqlHarness;
  let categoryId: number;
  beforeAll(async () => {
    harness = await openSqlHarness('postgres');
    categoryId = await harness.seedCategory({ slug: 'bikes' });
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  /** True once some session of this database waits for a lock. */
  async function someoneWaitsForALock(): Promise<boolean> {
    const result = (await harness.knex.raw(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    )) as { rows: { n: number }[] };
    return (result.rows[0]?.n ?? 0) > 0;
  }

  it('two transactions adding images to one listing both end up in it', async () => {
    const listing = await harness.plain.listings.insert(newListing(categoryId));
    const first = await harness.knex.transaction();
    const second = await harness.knex.transaction();
    try {
      await insertImages(first, [{ listingId: listing.id, order: 0 }]);
      // The second writer's refresh has to wait for the first: aggregating now would miss the first's image.
      const secondInsert = insertImages(second, [{ listingId: listing.id, order: 1 }]);
      await expect.poll(someoneWaitsForALock, { timeout: 10_000 }).toBe(true);
      await first.commit();
      await secondInsert;
      await second.commit();
    } finally {
      if (!first.isCompleted()) await first.rollback();
      if (!second.isCompleted()) await second.rollback();
    }
    const found = await harness.plain.listings.findById(listing.id);
    expect(found?.images.map((image) => image.displayOrder)).toEqual([0, 1]);
  });
});
