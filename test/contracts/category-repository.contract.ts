import { beforeEach, describe, expect, it } from 'vitest';
import { newListing, type StoreHarness, useStoreHarness } from './unit-of-work.contract.ts';

/** The behaviour of every CategoryRepository adapter (ports/category-repository.ts). */
export function describeCategoryRepositoryContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`CategoryRepository contract: ${name}`, () => {
    const store = useStoreHarness(factory);
    const categories = () => store().plain.categories;
    // vehicles (sort 1) > bikes > { road, e-bikes (inactive) > cargo }; electronics (sort 2); archive (inactive root)
    let ids: Record<'vehicles' | 'bikes' | 'road' | 'ebikes' | 'cargo' | 'electronics' | 'archive', number>;
    beforeEach(async () => {
      const seed = store().seedCategory;
      const vehicles = await seed({ slug: 'vehicles', name: 'Vehicles', sortOrder: 1 });
      const electronics = await seed({ slug: 'electronics', name: 'Electronics', sortOrder: 2 });
      const archive = await seed({ slug: 'archive', name: 'Archive', sortOrder: 0, isActive: false });
      const bikes = await seed({ slug: 'bikes', name: 'Bikes', parentId: vehicles });
      const road = await seed({ slug: 'road', name: 'road bikes', parentId: bikes, sortOrder: 1 });
      const ebikes = await seed({ slug: 'e-bikes', name: 'E-bikes', parentId: bikes, sortOrder: 1, isActive: false });
      const cargo = await seed({ slug: 'cargo', name: 'Cargo', parentId: ebikes });
      ids = { vehicles, bikes, road, ebikes, cargo, electronics, archive };
    });

    const listingsIn = async (categoryId: number, count: number, overrides = {}) => {
      for (let i = 0; i < count; i++) await store().plain.listings.insert(newListing(categoryId, overrides));
    };

    it('finds any category by id, active or not, with empty translations and UTC creation time', async () => {
      expect(await categories().findById(ids.ebikes)).toMatchObject({
        id: ids.ebikes,
        slug: 'e-bikes',
        name: 'E-bikes',
        parentId: ids.bikes,
        level: 2,
        isActive: false,
        listingCount: 0,
        sortOrder: 1,
        translations: {},
        hasCustomUi: false,
        icon: null,
      });
      const created = (await categories().findById(ids.vehicles))?.createdAt;
      expect(Math.abs((created?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
      expect(await categories().findById(999_999)).toBeNull();
    });

    it('lists active roots and all active categories by sort order, then name', async () => {
      expect((await categories().listRoots()).map((category) => category.slug)).toEqual(['vehicles', 'electronics']);
      // Code-point order: 'Bikes', 'Cargo' (under an inactive parent, still active itself), 'road bikes'.
      expect((await categories().listAll()).map((category) => category.slug)).toEqual([
        'bikes',
        'cargo',
        'vehicles',
        'road',
        'electronics',
      ]);
    });

    it('counts live, active listings of the category itself in every read', async () => {
      await listingsIn(ids.road, 3);
      await listingsIn(ids.road, 1, { status: 'draft' });
      await listingsIn(ids.bikes, 1);
      const deleted = await store().plain.listings.insert(newListing(ids.road));
      await store().plain.listings.softDelete(deleted.id, new Date());
      const counts = (list: { slug: string; listingCount: number }[]) =>
        Object.fromEntries(list.map((category) => [category.slug, category.listingCount]));
      expect((await categories().findById(ids.road))?.listingCount).toBe(3);
      expect(counts(await categories().listAll())).toMatchObject({ road: 3, bikes: 1, vehicles: 0 });
      expect(counts(await categories().listSubtree(ids.vehicles))).toMatchObject({ road: 3, bikes: 1, vehicles: 0 });
      expect(counts(await categories().listRoots())).toEqual({ vehicles: 0, electronics: 0 });
    });

    it('lists popular active categories by listing count, then name, at most limit', async () => {
      await listingsIn(ids.road, 2);
      await listingsIn(ids.electronics, 2);
      await listingsIn(ids.bikes, 1);
      await listingsIn(ids.archive, 5);
      const popular = await categories().listPopular(3);
      expect(popular.map((category) => [category.slug, category.listingCount])).toEqual([
        ['electronics', 2],
        ['road', 2],
        ['bikes', 1],
      ]);
    });

    it('returns a subtree at any depth (inactive nodes included) with its ancestors, or nothing', async () => {
      const subtree = await categories().listSubtree(ids.bikes);
      expect(subtree.map((category) => category.slug).sort()).toEqual([
        'bikes',
        'cargo',
        'e-bikes',
        'road',
        'vehicles',
      ]);
      const leaf = await categories().listSubtree(ids.cargo);
      expect(leaf.map((category) => category.slug).sort()).toEqual(['bikes', 'cargo', 'e-bikes', 'vehicles']);
      expect(await categories().listSubtree(999_999)).toEqual([]);
    });

    it('tells which ids are existing, active categories', async () => {
      const active = await categories().findActiveIds([ids.road, ids.ebikes, ids.archive, 999_999, ids.road]);
      expect([...active]).toEqual([ids.road]);
      expect(await categories().findActiveIds([])).toEqual(new Set());
    });
  });
}
