import { beforeEach, describe, expect, it } from 'vitest';
import { newListing, rejectionOf, type StoreHarness, useStoreHarness } from './unit-of-work.contract.ts';

/** The behaviour of every FavoriteRepository adapter (ports/favorite-repository.ts). */
export function describeFavoriteRepositoryContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`FavoriteRepository contract: ${name}`, () => {
    const store = useStoreHarness(factory);
    const favorites = () => store().plain.favorites;
    let categoryId: number;
    beforeEach(async () => {
      categoryId = await store().seedCategory({ slug: 'bikes' });
    });
    const listing = () => store().plain.listings.insert(newListing(categoryId));
    const counter = async (id: number) => {
      const row = await store().plain.listings.findRow(id, { includeDeleted: true });
      return { favoritesCount: row?.favoritesCount, version: row?.version };
    };

    it('adds idempotently, moving favorites_count once and keeping the version', async () => {
      const { id } = await listing();
      expect(await favorites().add(5, id, new Date())).toBe(true);
      expect(await favorites().add(5, id, new Date())).toBe(false);
      expect(await favorites().add(6, id, new Date())).toBe(true);
      expect(await counter(id)).toEqual({ favoritesCount: 2, version: 1 });
      expect(await favorites().exists(5, id)).toBe(true);
      expect(await favorites().exists(5, id + 1)).toBe(false);
    });

    it('removes idempotently, never below zero', async () => {
      const { id } = await listing();
      await favorites().add(5, id, new Date());
      expect(await favorites().remove(5, id)).toBe(true);
      expect(await favorites().remove(5, id)).toBe(false);
      expect(await counter(id)).toEqual({ favoritesCount: 0, version: 1 });
      expect(await favorites().exists(5, id)).toBe(false);
    });

    it('refuses a favorite of a missing or deleted listing', async () => {
      const { id } = await listing();
      await store().plain.listings.softDelete(id, new Date());
      expect((await rejectionOf(favorites().add(5, id, new Date()))).code).toBe('LISTING_NOT_FOUND');
      expect((await rejectionOf(favorites().add(5, 999_999, new Date()))).code).toBe('LISTING_NOT_FOUND');
    });

    it('counts concurrent duplicate adds once', async () => {
      const { id } = await listing();
      const added = await Promise.all([1, 2, 3, 4].map(() => favorites().add(5, id, new Date())));
      expect(added.filter(Boolean)).toEqual([true]);
      expect(await counter(id)).toEqual({ favoritesCount: 1, version: 1 });
    });

    it('lists distinct users ascending, and a user’s listings newest first with a total', async () => {
      const [a, b, c] = [await listing(), await listing(), await listing()];
      const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
      await favorites().add(9, a.id, at(1));
      await favorites().add(3, a.id, at(2));
      await favorites().add(9, c.id, at(3));
      await favorites().add(9, b.id, at(3));
      expect(await favorites().listUserIds(a.id)).toEqual([3, 9]);
      expect(await favorites().listUserIds(999_999)).toEqual([]);
      await store().plain.listings.softDelete(c.id, new Date());
      expect(await favorites().listListingIds(9, { limit: 2, offset: 0 })).toEqual({ ids: [c.id, b.id], total: 3 });
      expect(await favorites().listListingIds(9, { limit: 2, offset: 2 })).toEqual({ ids: [a.id], total: 3 });
    });

    it('adds in the caller’s transaction: a rollback undoes the row and the counter', async () => {
      const { id } = await listing();
      await rejectionOf(
        store().uow.run(async (tx) => {
          expect(await tx.favorites.add(5, id, new Date())).toBe(true);
          throw new Error('undo');
        }),
      );
      expect(await favorites().exists(5, id)).toBe(false);
      expect(await counter(id)).toEqual({ favoritesCount: 0, version: 1 });
    });
  });
}
