import { describe, expect, it } from 'vitest';
import type { StorefrontListQuery } from '../../src/domain/storefront.ts';
import { type StoreHarness, useStoreHarness } from './unit-of-work.contract.ts';

/** The behaviour of every StorefrontRepository adapter (ports/storefront-repository.ts). */
export function describeStorefrontRepositoryContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`StorefrontRepository contract: ${name}`, () => {
    const store = useStoreHarness(factory);
    const storefronts = () => store().plain.storefronts;
    const query = (overrides: Partial<StorefrontListQuery> = {}): StorefrontListQuery => ({
      filter: {},
      sortBy: 'created_at',
      sortOrder: 'desc',
      page: { limit: 20, offset: 0 },
      ...overrides,
    });

    it('finds by id and by exact slug, inactive ones too, with the rating read exactly', async () => {
      const id = await store().seedStorefront({
        slug: 'Bike-Shop',
        userId: 7,
        name: 'Bike Shop',
        city: 'Novi Sad',
        isActive: false,
        rating: '4.75',
      });
      const found = await storefronts().findById(id);
      expect(found).toMatchObject({
        id,
        userId: 7,
        slug: 'Bike-Shop',
        name: 'Bike Shop',
        city: 'Novi Sad',
        country: 'RS',
        isActive: false,
        isVerified: false,
        rating: 4.75,
        latitude: null,
        productsCount: 0,
      });
      expect(found?.createdAt).toBeInstanceOf(Date);
      expect(await storefronts().findBySlug('Bike-Shop')).toEqual(found);
      expect(await storefronts().findBySlug('bike-shop')).toBeNull();
      expect(await storefronts().findById(999_999)).toBeNull();
    });

    it('filters by owner, activity, verification and city, counting every match', async () => {
      const seed = store().seedStorefront;
      await seed({ slug: 'a', userId: 1, city: 'Beograd', isVerified: true });
      await seed({ slug: 'b', userId: 1, city: 'Novi Sad', isActive: false });
      await seed({ slug: 'c', userId: 2, city: 'Beograd' });
      const slugs = async (filter: StorefrontListQuery['filter']) => {
        const { items, total } = await storefronts().list(query({ filter, sortOrder: 'asc' }));
        return { slugs: items.map((item) => item.slug), total };
      };
      expect(await slugs({})).toEqual({ slugs: ['a', 'b', 'c'], total: 3 });
      expect(await slugs({ userId: 1 })).toEqual({ slugs: ['a', 'b'], total: 2 });
      expect(await slugs({ isActive: true })).toEqual({ slugs: ['a', 'c'], total: 2 });
      expect(await slugs({ isVerified: true })).toEqual({ slugs: ['a'], total: 1 });
      expect(await slugs({ city: 'Beograd', userId: 2 })).toEqual({ slugs: ['c'], total: 1 });
    });

    it('sorts by the chosen field with ties broken by id in the same direction, paged', async () => {
      const ids: number[] = [];
      for (const [slug, rating, productsCount] of [
        ['one', '4.50', 3],
        ['two', '3.00', 9],
        ['three', '4.50', 1],
        ['four', '5.00', 3],
      ] as const) {
        ids.push(await store().seedStorefront({ slug, userId: 1, rating, productsCount }));
      }
      const order = async (overrides: Partial<StorefrontListQuery>) =>
        (await storefronts().list(query(overrides))).items.map((item) => item.slug);
      expect(await order({ sortBy: 'rating', sortOrder: 'desc' })).toEqual(['four', 'three', 'one', 'two']);
      expect(await order({ sortBy: 'rating', sortOrder: 'asc' })).toEqual(['two', 'one', 'three', 'four']);
      expect(await order({ sortBy: 'products_count', sortOrder: 'desc' })).toEqual(['two', 'four', 'one', 'three']);
      expect(await order({ sortBy: 'name', sortOrder: 'asc', page: { limit: 2, offset: 1 } })).toEqual([
        'one',
        'three',
      ]);
      const page = await storefronts().list(query({ page: { limit: 1, offset: 3 } }));
      expect([page.items.map((item) => item.id), page.total]).toEqual([[ids[0]], 4]);
    });
  });
}
