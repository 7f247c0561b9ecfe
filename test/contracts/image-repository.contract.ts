import { beforeEach, describe, expect, it } from 'vitest';
import type { NewImage } from '../../src/domain/image.ts';
import { newListing, rejectionOf, type StoreHarness, useStoreHarness } from './unit-of-work.contract.ts';

function newImage(listingId: number, overrides: Partial<NewImage> = {}): NewImage {
  return {
    listingId,
    url: `https://cdn.example/listings/${listingId}/${Math.random().toString(36).slice(2)}.webp`,
    storagePath: null,
    storageKey: null,
    thumbnailUrl: null,
    thumbnails: {},
    displayOrder: 0,
    isPrimary: false,
    width: null,
    height: null,
    fileSize: null,
    mimeType: null,
    ...overrides,
  };
}

/** The behaviour of every ImageRepository adapter (ports/image-repository.ts). */
export function describeImageRepositoryContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`ImageRepository contract: ${name}`, () => {
    const store = useStoreHarness(factory);
    const images = () => store().plain.images;
    let listingId: number;
    beforeEach(async () => {
      const categoryId = await store().seedCategory({ slug: 'bikes' });
      listingId = (await store().plain.listings.insert(newListing(categoryId))).id;
    });
    const primaries = async () =>
      (await images().listByListing(listingId)).filter((image) => image.isPrimary).map((image) => image.id);

    it('inserts a row as stored and reads it back by id', async () => {
      const row = newImage(listingId, {
        storageKey: 'listings/1/a.webp',
        storagePath: '/legacy/a.webp',
        thumbnailUrl: 'https://cdn.example/t.webp',
        thumbnails: { small: 'https://cdn.example/s.webp', medium: 'https://cdn.example/m.webp' },
        displayOrder: 3,
        width: 1600,
        height: 1200,
        fileSize: 5_000_000_000,
        mimeType: 'image/webp',
      });
      const stored = await images().insert(row);
      expect(stored).toMatchObject({ ...row, id: expect.any(Number) });
      expect(stored.createdAt).toBeInstanceOf(Date);
      expect(await images().findById(stored.id)).toEqual(stored);
      expect(await images().findById(999_999)).toBeNull();
    });

    it('lists primary first, then display order, then id, and counts', async () => {
      const late = await images().insert(newImage(listingId, { displayOrder: 5 }));
      const early = await images().insert(newImage(listingId, { displayOrder: 1 }));
      const tie = await images().insert(newImage(listingId, { displayOrder: 1 }));
      const primary = await images().insert(newImage(listingId, { displayOrder: 9, isPrimary: true }));
      expect((await images().listByListing(listingId)).map((image) => image.id)).toEqual([
        primary.id,
        early.id,
        tie.id,
        late.id,
      ]);
      expect(await images().count(listingId)).toBe(4);
      expect(await images().count(999_999)).toBe(0);
    });

    it("reorders a listing's images by position, leaving other listings alone", async () => {
      const a = await images().insert(newImage(listingId, { displayOrder: 0 }));
      const b = await images().insert(newImage(listingId, { displayOrder: 1 }));
      const c = await images().insert(newImage(listingId, { displayOrder: 2 }));
      await images().reorder(listingId, [c.id, a.id, b.id]);
      const listed = await images().listByListing(listingId);
      expect(listed.map((image) => [image.id, image.displayOrder])).toEqual([
        [c.id, 0],
        [a.id, 1],
        [b.id, 2],
      ]);
      await images().reorder(999_999, [a.id]);
      expect((await images().findById(a.id))?.displayOrder).toBe(1);
    });

    it('keeps at most one primary: inserting a primary or setting one clears the others', async () => {
      const first = await images().insert(newImage(listingId, { isPrimary: true }));
      const second = await images().insert(newImage(listingId, { isPrimary: true }));
      expect(await primaries()).toEqual([second.id]);
      await images().setPrimary(listingId, first.id);
      expect(await primaries()).toEqual([first.id]);
      await images().setPrimary(listingId, null);
      expect(await primaries()).toEqual([]);
      await Promise.all([
        images().insert(newImage(listingId, { isPrimary: true })),
        images().insert(newImage(listingId, { isPrimary: true })),
        images().setPrimary(listingId, second.id),
      ]);
      expect(await primaries()).toHaveLength(1);
    });

    it('refuses an image of a missing or deleted listing, and a primary from another listing', async () => {
      expect((await rejectionOf(images().insert(newImage(999_999)))).code).toBe('LISTING_NOT_FOUND');
      const categoryId = await store().seedCategory({ slug: 'cars' });
      const other = await store().plain.listings.insert(newListing(categoryId));
      const foreign = await images().insert(newImage(other.id, { isPrimary: true }));
      const own = await images().insert(newImage(listingId, { isPrimary: true }));
      expect((await rejectionOf(images().setPrimary(listingId, foreign.id))).code).toBe('IMAGE_NOT_FOUND');
      expect(await primaries()).toEqual([own.id]);
      await store().plain.listings.softDelete(other.id, new Date());
      expect((await rejectionOf(images().insert(newImage(other.id)))).code).toBe('LISTING_NOT_FOUND');
    });

    it('deletes a row, returning it once', async () => {
      const stored = await images().insert(newImage(listingId));
      expect(await images().delete(stored.id)).toEqual(stored);
      expect(await images().delete(stored.id)).toBeNull();
      expect(await images().count(listingId)).toBe(0);
    });
  });
}
