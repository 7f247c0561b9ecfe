/** SearchListings end to end: PostgreSQL full-text index, current rows in the answer, the original's input checks. */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingsClient } from '../../../adapters/grpc/client/index.ts';
import { ANONYMOUS, expectStatus, type GrpcWorld, OWNER, openGrpcWorld } from './support/harness.ts';

let world: GrpcWorld;
let owner: ListingsClient;
let anonymous: ListingsClient;
const ids: Record<string, number> = {};

beforeAll(async () => {
  world = await openGrpcWorld();
  owner = await world.as(OWNER);
  anonymous = await world.as(ANONYMOUS);
  const listings = [
    ['bike', 'Bicikl Scott', 'bicycles', 250],
    ['flat', 'Stan na Vračaru', 'home-garden', 90_000],
    ['sofa', 'Kauč na razvlačenje', 'furniture', 120.5],
    ['draft', 'Bicikl Bianchi', 'bicycles', 300],
  ] as const;
  for (const [key, title, category, price] of listings) {
    const { listing } = await owner.createListing({
      userId: 0,
      title,
      price,
      currency: 'EUR',
      categoryId: world.categories[category]!,
      quantity: 1,
    });
    ids[key] = listing!.id;
    if (key !== 'draft') await owner.updateListing({ id: listing!.id, userId: 0, status: 'active' });
  }
  await world.indexListings(...Object.values(ids));
});
afterAll(() => world?.close());

describe('SearchListings', () => {
  it('finds active listings by text for anyone, with the real rows and the total of all matches', async () => {
    const result = await anonymous.searchListings({ query: 'bicikl', limit: 10, offset: 0 });
    expect(result.listings.map((listing) => listing.id)).toEqual([ids.bike]);
    expect(result.total).toBe(1);
    expect(result.listings[0]).toMatchObject({ title: 'Bicikl Scott', price: 250, status: 'active', userId: 7 });
    expect(result.listings[0]?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('browses with an empty query (the original answered INTERNAL), filtered by category and price', async () => {
    const all = await anonymous.searchListings({ query: '', limit: 10, offset: 0 });
    expect(all.total).toBe(3);
    expect(all.listings.map((listing) => listing.id)).not.toContain(ids.draft);
    const cheap = await anonymous.searchListings({ query: '', limit: 10, offset: 0, minPrice: 100, maxPrice: 300 });
    expect(cheap.listings.map((listing) => listing.id).sort()).toEqual([ids.bike, ids.sofa].sort());
    const sofas = await anonymous.searchListings({
      query: '',
      limit: 10,
      offset: 0,
      categoryId: world.categories.furniture,
    });
    expect(sofas.listings.map((listing) => listing.id)).toEqual([ids.sofa]);
    const page = await anonymous.searchListings({ query: '', limit: 1, offset: 1 });
    expect(page.listings).toHaveLength(1);
    expect(page.total).toBe(3);
  });

  it('leaves out a listing that stopped being searchable before the index caught up', async () => {
    await owner.updateListing({ id: ids.sofa!, userId: 0, status: 'inactive' });
    const stale = await anonymous.searchListings({ query: 'kauč', limit: 10, offset: 0 });
    expect(stale.listings).toEqual([]);
    await world.indexListings(ids.sofa!);
    expect((await anonymous.searchListings({ query: 'kauč', limit: 10, offset: 0 })).total).toBe(0);
  });

  it("rejects the original's bad input with field violations", async () => {
    await expectStatus(anonymous.searchListings({ query: 'a', limit: 10, offset: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'query', description: 'search query must be at least 2 characters' }],
    });
    await expectStatus(anonymous.searchListings({ query: 'bike', limit: 0, offset: -1 }), status.INVALID_ARGUMENT, {
      violations: [
        { field: 'limit', description: 'limit must be greater than 0' },
        { field: 'offset', description: 'offset cannot be negative' },
      ],
    });
    await expectStatus(
      anonymous.searchListings({ query: '', limit: 10, offset: 0, minPrice: 10.001, maxPrice: 5 }),
      status.INVALID_ARGUMENT,
      { violations: [{ field: 'min_price', description: 'min_price must have at most 2 decimal places' }] },
    );
    await expectStatus(
      anonymous.searchListings({ query: '', limit: 10, offset: 0, minPrice: 10, maxPrice: 5 }),
      status.INVALID_ARGUMENT,
      { violations: [{ field: 'min_price', description: 'min_price cannot be greater than max_price' }] },
    );
    await expectStatus(
      anonymous.searchListings({ query: '', limit: 10, offset: 0, categoryId: 0 }),
      status.INVALID_ARGUMENT,
      {
        violations: [{ field: 'category_id' }],
      },
    );
  });
});
