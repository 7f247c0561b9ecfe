/**
 * Categories, storefronts, reindex batches and requests, SyncDiscounts, and the legacy variant RPCs answered
 * UNIMPLEMENTED on purpose.
 */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingsClient } from '../../../adapters/grpc/client/index.ts';
import {
  ADMIN,
  ANONYMOUS,
  expectStatus,
  type GrpcWorld,
  OWNER,
  openGrpcWorld,
  SERVICE,
  STRANGER,
} from './support/harness.ts';

const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let world: GrpcWorld;
let owner: ListingsClient;
let anonymous: ListingsClient;

beforeAll(async () => {
  world = await openGrpcWorld();
  owner = await world.as(OWNER);
  anonymous = await world.as(ANONYMOUS);
});
afterAll(() => world?.close());

async function activeListing(categorySlug: string): Promise<number> {
  const { listing } = await owner.createListing({
    userId: 0,
    title: 'Something to sell',
    price: 10,
    currency: 'RSD',
    categoryId: world.categories[categorySlug]!,
    quantity: 1,
  });
  await owner.updateListing({ id: listing!.id, userId: 0, status: 'active' });
  return listing!.id;
}

describe('category RPCs (public)', () => {
  it('lists roots and all active categories in sort order, with RFC 3339 times', async () => {
    const { categories: roots } = await anonymous.getRootCategories({});
    expect(roots.map((category) => category.slug)).toEqual(['electronics', 'vehicles', 'home-garden', 'fashion']);
    expect(roots[0]).toMatchObject({
      name: 'Electronics',
      icon: 'devices',
      level: 0,
      isActive: true,
      translations: {},
    });
    expect(roots[0]?.parentId).toBeUndefined();
    expect(roots[0]?.createdAt).toMatch(RFC3339_SECONDS);
    const { categories: all } = await anonymous.getAllCategories({});
    expect(all).toHaveLength(10);
    expect(all.find((category) => category.slug === 'smartphones')).toMatchObject({
      parentId: world.categories.phones,
      level: 2,
    });
  });

  it('ranks popular categories by active listings, with the default and capped limits', async () => {
    await activeListing('furniture');
    await activeListing('furniture');
    await activeListing('computers');
    const { categories } = await anonymous.getPopularCategories({ limit: 0 });
    expect(categories).toHaveLength(10);
    expect(categories.slice(0, 2).map((category) => [category.slug, category.listingCount])).toEqual([
      ['furniture', 2],
      ['computers', 1],
    ]);
    expect((await anonymous.getPopularCategories({ limit: 2 })).categories).toHaveLength(2);
    expect((await anonymous.getPopularCategories({ limit: 1000 })).categories).toHaveLength(10);
  });

  it('reads one category, and answers bad and missing ids', async () => {
    const { category } = await anonymous.getCategory({ categoryId: world.categories.bicycles! });
    expect(category).toMatchObject({ slug: 'bicycles', parentId: world.categories.vehicles, level: 1 });
    await expectStatus(anonymous.getCategory({ categoryId: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'category_id', description: 'category ID must be greater than 0' }],
    });
    await expectStatus(anonymous.getCategory({ categoryId: 999_999 }), status.NOT_FOUND, {
      message: 'category not found: 999999',
      reason: 'CATEGORY_NOT_FOUND',
    });
  });

  it('sends the whole tree, three levels deep, with slug paths', async () => {
    const { tree } = await anonymous.getCategoryTree({ categoryId: world.categories.electronics! });
    expect(tree).toMatchObject({ slug: 'electronics', path: 'electronics', childrenCount: 2 });
    const phones = tree?.children.find((node) => node.slug === 'phones');
    expect(phones).toMatchObject({ path: 'electronics/phones', childrenCount: 2, parentId: tree?.id });
    expect(phones?.children.map((node) => node.path)).toEqual([
      'electronics/phones/smartphones',
      'electronics/phones/phone-accessories',
    ]);
    const { tree: subtree } = await anonymous.getCategoryTree({ categoryId: world.categories.phones! });
    expect(subtree?.path).toBe('electronics/phones');
    await expectStatus(anonymous.getCategoryTree({ categoryId: 999_999 }), status.NOT_FOUND, {
      message: 'category tree not found: 999999',
    });
    await expectStatus(anonymous.getCategoryTree({ categoryId: -1 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'category_id' }],
    });
  });
});

describe('storefront RPCs', () => {
  it('reads by id and slug, and lists with filters and the total', async () => {
    const id = await world.addStorefront(7, { slug: 'bike-shop', city: 'Novi Sad', description: 'Bikes' });
    await world.addStorefront(8, { slug: 'closed-shop', city: 'Novi Sad', is_active: false });
    const { storefront } = await anonymous.getStorefront({ id });
    expect(storefront).toMatchObject({ id, userId: 7, slug: 'bike-shop', city: 'Novi Sad', isActive: true });
    expect(storefront?.createdAt).toMatch(RFC3339_SECONDS);
    expect((await anonymous.getStorefrontBySlug({ slug: 'bike-shop' })).storefront?.id).toBe(id);
    const listed = await anonymous.listStorefronts({ city: 'Novi Sad', limit: 10, offset: 0 });
    expect(listed.storefronts.map((shop) => shop.slug)).toEqual(['bike-shop']);
    expect(listed.total).toBe(1);
  });

  it('shows an inactive storefront to its owner and admins only', async () => {
    const id = await world.addStorefront(8, { slug: 'paused-shop', is_active: false });
    await expectStatus(owner.getStorefront({ id }), status.NOT_FOUND, { message: `storefront not found: ${id}` });
    await expectStatus(anonymous.getStorefrontBySlug({ slug: 'paused-shop' }), status.NOT_FOUND);
    expect((await (await world.as(STRANGER)).getStorefront({ id })).storefront?.isActive).toBe(false);
    expect((await (await world.as(ADMIN)).getStorefrontBySlug({ slug: 'paused-shop' })).storefront?.id).toBe(id);
  });

  it('validates with field details', async () => {
    await expectStatus(anonymous.getStorefront({ id: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'id', description: 'storefront ID must be greater than 0' }],
    });
    await expectStatus(anonymous.getStorefrontBySlug({ slug: ' ' }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'slug', description: 'slug is required' }],
    });
    await expectStatus(anonymous.listStorefronts({ limit: 5, offset: -1, sortBy: 'bogus' }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'offset' }, { field: 'sort_by', description: 'invalid sort_by: bogus' }],
    });
    await expectStatus(anonymous.getStorefront({ id: 987_654 }), status.NOT_FOUND);
  });
});

describe('GetListingsForReindex', () => {
  it('walks the searchable listings in id batches with a cursor, for services only', async () => {
    const ids = [await activeListing('bicycles'), await activeListing('bicycles'), await activeListing('bicycles')];
    const service = await world.as(SERVICE);
    const seen: number[] = [];
    let cursor: number | undefined;
    for (let round = 0; round < 20; round++) {
      const batch = await service.getListingsForReindex({ batchSize: 2, lastId: cursor });
      expect(batch.total).toBe(batch.listings.length);
      seen.push(...batch.listings.map((listing) => listing.id));
      cursor = batch.nextCursor;
      if (cursor === undefined) break;
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen).toEqual(expect.arrayContaining(ids));
    await expectStatus(owner.getListingsForReindex({ batchSize: 2 }), status.PERMISSION_DENIED, {
      message: 'this operation requires the service role',
    });
    await expectStatus(anonymous.getListingsForReindex({ batchSize: 2 }), status.UNAUTHENTICATED);
    await expectStatus(service.getListingsForReindex({ batchSize: 2, lastId: -1 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'last_id' }],
    });
  });
});

describe('RPCs answered UNIMPLEMENTED', () => {
  it('refuses the legacy variant RPCs with the standard text and says what to use instead', async () => {
    const calls = {
      CreateVariants: () => owner.createVariants({ listingId: 1, variants: [] }),
      GetVariants: () => owner.getVariants({ listingId: 1 }),
      UpdateVariant: () => owner.updateVariant({ variantId: 1, attributes: {} }),
      DeleteVariant: () => owner.deleteVariant({ variantId: 1 }),
    };
    for (const [rpc, call] of Object.entries(calls)) {
      const error = await expectStatus(call(), status.UNIMPLEMENTED, {
        message: `method ${rpc} not implemented`,
        reason: 'NOT_IMPLEMENTED',
      });
      expect(error.statusDetails?.metadata).toMatchObject({
        legacy_reason: 'listings.legacy_variants_unsupported',
        rpc,
      });
      expect(error.statusDetails?.metadata.use).toContain('CreateProductVariant');
    }
  });

  it('ResetReindexFlags puts the named listings back in the outbox (services only); SyncDiscounts answers OK', async () => {
    const service = await world.as(SERVICE);
    await world
      .knex('indexing_queue')
      .where({ status: 'pending' })
      .update({ status: 'completed', processed_at: world.knex.fn.now() });
    await service.resetReindexFlags({ listingIds: [1, 1, 999_999] });
    const pending = await world.knex('indexing_queue').where({ status: 'pending' }).select('listing_id');
    expect(pending.map((row) => Number(row.listing_id))).toEqual([1]);
    await expectStatus((await world.as(ANONYMOUS)).resetReindexFlags({ listingIds: [1] }), status.UNAUTHENTICATED);
    await expectStatus(service.resetReindexFlags({ listingIds: [0] }), status.INVALID_ARGUMENT);
    await expect(service.syncDiscounts({})).resolves.toEqual({});
  });
});
