import { beforeEach, describe, expect, it } from 'vitest';
import type { ListingKey } from '../../ports/listing-repository.ts';
import type { Listing } from '../../src/domain/listing.ts';
import { minorUnits } from '../../src/domain/money.ts';
import { newListing, rejectionOf, type StoreHarness, useStoreHarness } from './unit-of-work.contract.ts';

const NEWEST_FIRST = (a: Listing, b: Listing) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;

/** The behaviour of every ListingRepository adapter (ports/listing-repository.ts). */
export function describeListingRepositoryContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`ListingRepository contract: ${name}`, () => {
    const store = useStoreHarness(factory);
    const listings = () => store().plain.listings;
    let bikes: number;
    let cars: number;
    beforeEach(async () => {
      bikes = await store().seedCategory({ slug: 'bikes' });
      cars = await store().seedCategory({ slug: 'cars' });
    });

    it('inserts a row as stored: id, version 1, exact money, attributes, the given creation time', async () => {
      const createdAt = new Date('2026-01-02T03:04:05.678Z');
      const row = newListing(bikes, {
        price: minorUnits(999_999_999_999_999),
        attributes: { frame: 'carbon', size: 56, tubeless: true, note: null },
        createdAt,
      });
      const stored = await listings().insert(row);
      expect(stored).toMatchObject({ ...row, updatedAt: expect.any(Date), version: 1 });
      expect(stored.id).toBeGreaterThan(0);
      expect(stored.createdAt).toEqual(createdAt);
      expect(await listings().findRow(stored.id)).toEqual(stored);
      const cheap = await listings().insert(newListing(bikes, { price: minorUnits(1) }));
      expect(cheap.price).toBe(1);
    });

    it('reads live rows only: a soft-deleted row reads like a missing one unless includeDeleted', async () => {
      const kept = await listings().insert(newListing(bikes));
      const gone = await listings().insert(newListing(bikes));
      await listings().softDelete(gone.id, new Date());
      expect(await listings().findById(gone.id)).toBeNull();
      expect(await listings().findRow(gone.id)).toBeNull();
      expect(await listings().findRow(gone.id, { includeDeleted: true })).toMatchObject({ isDeleted: true });
      expect(await listings().findById(999_999)).toBeNull();
      const { items, total } = await listings().list({}, { limit: 10, offset: 0 });
      expect([items.map((item) => item.id), total]).toEqual([[kept.id], 1]);
      expect(await listings().incrementViewCount(gone.id)).toBeNull();
    });

    it('maps view_count to viewCount; counter updates keep the version, content updates raise it', async () => {
      const stored = await listings().insert(newListing(bikes));
      expect(await listings().incrementViewCount(stored.id)).toBe(1);
      expect(await listings().incrementViewCount(stored.id, { by: 5 })).toBe(6);
      expect(await listings().incrementViewCount(stored.id, { sourceType: 'b2c' })).toBeNull();
      const counted = await listings().findRow(stored.id);
      expect(counted).toMatchObject({ viewCount: 6, version: 1 });
      const updated = await listings().update(stored.id, 1, { title: 'Gravel bike', price: minorUnits(12_345) });
      expect(updated).toMatchObject({ title: 'Gravel bike', price: 12_345, viewCount: 6, version: 2 });
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(stored.updatedAt.getTime());
    });

    it('reports VERSION_CONFLICT with both versions, LISTING_NOT_FOUND for missing or deleted rows', async () => {
      const stored = await listings().insert(newListing(bikes));
      await listings().update(stored.id, 1, { title: 'Second title' });
      const conflict = await rejectionOf(listings().update(stored.id, 1, { title: 'Stale title' }));
      expect(conflict).toMatchObject({ code: 'VERSION_CONFLICT', details: { expected: 1, actual: 2 } });
      expect(await listings().update(stored.id, null, { quantity: 3 })).toMatchObject({ quantity: 3, version: 3 });
      expect((await rejectionOf(listings().update(999_999, null, { title: 'Nobody' }))).code).toBe('LISTING_NOT_FOUND');
      await listings().softDelete(stored.id, new Date(), 3);
      expect((await rejectionOf(listings().update(stored.id, null, { title: 'Too late' }))).code).toBe(
        'LISTING_NOT_FOUND',
      );
      expect((await rejectionOf(listings().update(stored.id, null, {}))).code).toBe('LISTING_NOT_FOUND');
    });

    it('writes nothing for an empty update and returns the current row', async () => {
      const stored = await listings().insert(newListing(bikes));
      expect(await listings().update(stored.id, 1, {})).toEqual(stored);
    });

    it('soft-deletes with both flags, raising the version; twice is LISTING_NOT_FOUND', async () => {
      const stored = await listings().insert(newListing(bikes));
      const at = new Date('2026-05-06T07:08:09.000Z');
      expect((await rejectionOf(listings().softDelete(stored.id, at, 7))).code).toBe('VERSION_CONFLICT');
      const deleted = await listings().softDelete(stored.id, at, 1);
      expect(deleted).toMatchObject({ isDeleted: true, deletedAt: at, version: 2 });
      expect((await rejectionOf(listings().softDelete(stored.id, at))).code).toBe('LISTING_NOT_FOUND');
    });

    it('hard-deletes a row (deleted or not) with its side rows, returning it once', async () => {
      const stored = await listings().insert(newListing(bikes));
      await listings().replaceRelations(stored.id, { tags: ['fast'] });
      await store().plain.images.insert(image(stored.id, true));
      await store().plain.listings.softDelete(stored.id, new Date());
      expect(await listings().hardDelete(stored.id)).toMatchObject({ id: stored.id, isDeleted: true });
      expect(await listings().hardDelete(stored.id)).toBeNull();
      expect(await store().plain.images.count(stored.id)).toBe(0);
    });

    it('inserts many in input order, all or none on a duplicate SKU', async () => {
      const storefrontId = await store().seedStorefront({ slug: 'shop', userId: 7 });
      const product = (sku: string) => newListing(bikes, { sku, storefrontId, sourceType: 'b2c', title: `P ${sku}` });
      const stored = await listings().insertMany(['C', 'A', 'B'].map(product));
      expect(stored.map((row) => row.sku)).toEqual(['C', 'A', 'B']);
      expect(stored.every((row) => row.version === 1 && row.stockStatus === 'low_stock')).toBe(true);
      const duplicate = await rejectionOf(listings().insertMany([product('D'), product('A')]));
      expect(duplicate).toMatchObject({
        code: 'ALREADY_EXISTS',
        reason: 'products.sku_duplicate',
        details: { sku: 'A' },
      });
      expect((await listings().list({ storefrontId }, { limit: 10, offset: 0 })).total).toBe(3);
      expect(await listings().insertMany([])).toEqual([]);
    });

    it('returns side rows with the listing: images primary first, attributes, tags, location', async () => {
      const stored = await listings().insert(newListing(bikes));
      const second = await store().plain.images.insert({ ...image(stored.id, false), displayOrder: 2 });
      const first = await store().plain.images.insert({ ...image(stored.id, false), displayOrder: 1 });
      const primary = await store().plain.images.insert({ ...image(stored.id, true), displayOrder: 9 });
      const location = {
        country: 'RS',
        city: 'Novi Sad',
        postalCode: '21000',
        addressLine1: 'Bulevar 1',
        addressLine2: null,
        latitude: 45.25167,
        longitude: 19.83694,
      };
      await listings().replaceRelations(stored.id, {
        tags: ['fast', 'light', 'fast'],
        attributeEntries: { size: '56', frame: 'carbon', note: null },
        location,
      });
      const details = await listings().findById(stored.id);
      expect(details?.images.map((row) => row.id)).toEqual([primary.id, first.id, second.id]);
      expect(details?.tags).toEqual(['fast', 'light']);
      expect(details?.attributeEntries.map((entry) => [entry.key, entry.value])).toEqual([
        ['frame', 'carbon'],
        ['note', null],
        ['size', '56'],
      ]);
      expect(details?.location).toMatchObject({ ...location, listingId: stored.id });
      expect(details?.version).toBe(1);

      await listings().replaceRelations(stored.id, { tags: [], location: null });
      const replaced = await listings().findById(stored.id);
      expect([replaced?.tags, replaced?.location, replaced?.attributeEntries.length]).toEqual([[], null, 3]);
    });

    it('reads many ids in one call: live rows only, in id order, each once, side rows as findById reads them', async () => {
      const [a, b, c, gone] = [
        await listings().insert(newListing(bikes)),
        await listings().insert(newListing(bikes, { status: 'draft', visibility: 'private' })),
        await listings().insert(newListing(cars)),
        await listings().insert(newListing(bikes)),
      ] as [Listing, Listing, Listing, Listing];
      await store().plain.images.insert({ ...image(c.id, false), displayOrder: 2 });
      await store().plain.images.insert({ ...image(c.id, true), displayOrder: 5 });
      await listings().replaceRelations(c.id, {
        tags: ['fast', 'light'],
        attributeEntries: { size: '56', frame: 'carbon' },
        location: {
          country: 'RS',
          city: 'Niš',
          postalCode: null,
          addressLine1: null,
          addressLine2: null,
          latitude: 43.32,
          longitude: 21.9,
        },
      });
      await listings().replaceRelations(a.id, { tags: ['only'] });
      await listings().softDelete(gone.id, new Date());

      const many = await listings().findManyByIds([c.id, 999_999, a.id, gone.id, b.id, c.id]);
      expect(many.map((row) => row.id)).toEqual([a.id, b.id, c.id]);
      for (const row of many) expect(row).toEqual(await listings().findById(row.id));
      expect(many[2]?.images).toHaveLength(2);
      expect(many[2]?.location?.city).toBe('Niš');
      expect(many[0]?.tags).toEqual(['only']);
      expect([many[1]?.images, many[1]?.tags, many[1]?.attributeEntries, many[1]?.location]).toEqual([
        [],
        [],
        [],
        null,
      ]);
      expect(await listings().findManyByIds([])).toEqual([]);
      expect(await listings().findManyByIds([gone.id, 999_999])).toEqual([]);
    });

    it('filters by user, storefront, category, status and an exact price range, with totals', async () => {
      const storefrontId = await store().seedStorefront({ slug: 'shop', userId: 9 });
      await listings().insert(newListing(bikes, { userId: 1, price: minorUnits(1999) }));
      await listings().insert(newListing(bikes, { userId: 2, price: minorUnits(2000), status: 'draft' }));
      await listings().insert(newListing(cars, { userId: 1, price: minorUnits(1998) }));
      await listings().insert(
        newListing(cars, { userId: 9, storefrontId, sourceType: 'b2c', sku: 'S', price: minorUnits(5000) }),
      );
      const count = async (filter: Parameters<ReturnType<typeof listings>['list']>[0]) =>
        (await listings().list(filter, { limit: 1, offset: 0 })).total;
      expect(await count({})).toBe(4);
      expect(await count({ userId: 1 })).toBe(2);
      expect(await count({ storefrontId })).toBe(1);
      expect(await count({ categoryId: bikes })).toBe(2);
      expect(await count({ status: 'draft' })).toBe(1);
      expect(await count({ price: { min: minorUnits(1999), max: minorUnits(2000) } })).toBe(2);
      expect(await count({ price: { min: minorUnits(1999), max: null } })).toBe(3);
      expect(await count({ price: { min: null, max: minorUnits(1998) } })).toBe(1);
      expect(await count({ userId: 1, categoryId: cars, status: 'active' })).toBe(1);
    });

    it('pages by offset and by key without duplicates or gaps, ties on created_at broken by id', async () => {
      const tie = new Date('2026-03-01T12:00:00.000Z');
      const rows: Listing[] = [];
      for (let i = 0; i < 25; i++) {
        const createdAt = i % 3 === 0 ? tie : new Date(tie.getTime() + (i - 12) * 60_000);
        rows.push(await listings().insert(newListing(bikes, { title: `Listing ${i}`, createdAt })));
      }
      const expected = [...rows].sort(NEWEST_FIRST).map((row) => row.id);

      const byOffset: number[] = [];
      for (let offset = 0; offset < 25; offset += 7) {
        const page = await listings().list({}, { limit: 7, offset });
        expect([page.total, page.nextKey]).toEqual([25, null]);
        byOffset.push(...page.items.map((item) => item.id));
      }
      expect(byOffset).toEqual(expected);

      const byKey: number[] = [];
      let after: ListingKey | null = null;
      let pages = 0;
      do {
        const page = await listings().list({}, { limit: 7, after });
        expect(page.total).toBe(25);
        byKey.push(...page.items.map((item) => item.id));
        after = page.nextKey;
        pages++;
      } while (after !== null && pages < 10);
      expect(byKey).toEqual(expected);
      expect(pages).toBe(4);
      const exact = await listings().list({}, { limit: 25, after: null });
      expect([exact.items.length, exact.nextKey]).toEqual([25, null]);
    });

    it('walks rows for reindexing in id order: searchable by default, every live row on request', async () => {
      const ids: number[] = [];
      for (const [status, visibility] of [
        ['active', 'public'],
        ['draft', 'public'],
        ['active', 'private'],
        ['active', 'public'],
        ['active', 'public'],
      ] as const) {
        ids.push((await listings().insert(newListing(bikes, { status, visibility }))).id);
      }
      await listings().softDelete(ids[4] as number, new Date());
      await listings().replaceRelations(ids[3] as number, { tags: ['indexed'] });
      const first = await listings().listForReindex({ afterId: 0, limit: 1 });
      expect([first.items.map((item) => item.id), first.nextAfterId]).toEqual([[ids[0]], ids[0]]);
      const rest = await listings().listForReindex({ afterId: ids[0] as number, limit: 10 });
      expect([rest.items.map((item) => item.id), rest.nextAfterId]).toEqual([[ids[3]], null]);
      expect(rest.items[0]?.tags).toEqual(['indexed']);
      const live = await listings().listForReindex({ afterId: 0, limit: 10, scope: 'live' });
      expect(live.items.map((item) => item.id)).toEqual(ids.slice(0, 4));
      expect(await listings().countForReindex()).toBe(2);
      expect(await listings().countForReindex({ scope: 'live' })).toBe(4);
    });

    it('locks a row for update inside a unit of work and writes with the lock held', async () => {
      const stored = await listings().insert(newListing(bikes));
      const updated = await store().uow.run(async (tx) => {
        const row = await tx.listings.findRow(stored.id, { forUpdate: true });
        return tx.listings.update(stored.id, null, { quantity: (row?.quantity ?? 0) + 4 });
      });
      expect(updated).toMatchObject({ quantity: 5, version: 2 });
    });
  });
}

function image(listingId: number, isPrimary: boolean) {
  return {
    listingId,
    url: `https://cdn.example/${listingId}/${Math.random()}.jpg`,
    storagePath: null,
    storageKey: null,
    thumbnailUrl: null,
    thumbnails: {},
    displayOrder: 0,
    isPrimary,
    width: 800,
    height: 600,
    fileSize: 12_345,
    mimeType: 'image/jpeg',
  };
}
