import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CategoryTreeNode } from '../../../../src/domain/category.ts';
import type { AppError } from '../../../../src/domain/errors.ts';
import { openWorld, type World } from './fixture.ts';
import { OWNER, STRANGER } from './principals.ts';

let world: World;
beforeAll(async () => {
  world = await openWorld();
});
afterAll(() => world?.dispose());

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as AppError,
  );

function slugs(node: CategoryTreeNode): unknown {
  return { [node.path]: node.children.map(slugs) };
}

describe('category reads on the SQL adapters', () => {
  it('builds the tree at every depth, with slug paths (flaw #29)', async () => {
    const tree = await world.categoryQueries.tree({ categoryId: world.categories.electronics });
    expect(slugs(tree)).toEqual({
      electronics: [
        {
          'electronics/phones': [
            { 'electronics/phones/smartphones': [] },
            { 'electronics/phones/phone-accessories': [] },
          ],
        },
        { 'electronics/computers': [] },
      ],
    });
    expect(tree.childrenCount).toBe(2);
    const subtree = await world.categoryQueries.tree({ categoryId: world.categories.phones });
    expect(subtree.path).toBe('electronics/phones');
  });

  it('answers `category tree not found` for a missing or inactive root', async () => {
    expect(await caught(world.categoryQueries.tree({ categoryId: 999_999 }))).toMatchObject({
      code: 'CATEGORY_NOT_FOUND',
      message: 'category tree not found: 999999',
    });
    await world.knex('c2c_categories').where({ id: world.categories.fashion }).update({ is_active: false });
    expect((await caught(world.categoryQueries.tree({ categoryId: world.categories.fashion })))?.code).toBe(
      'CATEGORY_NOT_FOUND',
    );
    // GetCategory still returns an inactive one
    expect((await world.categoryQueries.byId({ categoryId: world.categories.fashion })).isActive).toBe(false);
    await world.knex('c2c_categories').where({ id: world.categories.fashion }).update({ is_active: true });
  });

  it('reads roots, all, by id and popular (limit clamped)', async () => {
    const roots = await world.categoryQueries.roots();
    expect(roots.map((category) => category.slug)).toEqual(['electronics', 'vehicles', 'home-garden', 'fashion']);
    expect((await world.categoryQueries.all()).length).toBe(10);
    expect((await world.categoryQueries.popular({ limit: 0 })).length).toBe(10);
    expect((await world.categoryQueries.popular({ limit: 3 })).length).toBe(3);
    expect((await world.categoryQueries.popular({ limit: 1000 })).length).toBe(10);
    expect(await caught(world.categoryQueries.byId({ categoryId: 999_999 }))).toMatchObject({
      code: 'CATEGORY_NOT_FOUND',
      message: 'category not found: 999999',
    });
    expect((await caught(world.categoryQueries.byId({ categoryId: 0 })))?.message).toBe(
      'category ID must be greater than 0',
    );
  });

  it('counts active listings per category for popular', async () => {
    await world.newListingWithStatus('active', { categoryId: world.categories.furniture });
    const popular = await world.categoryQueries.popular({ limit: 1 });
    expect(popular[0]).toMatchObject({ slug: 'furniture', listingCount: 1 });
  });
});

describe('storefront reads on the SQL adapters', () => {
  it('finds by id and slug, hides an inactive one from strangers, lists with filters', async () => {
    const open = await world.addStorefront(7, { slug: 'bikes-7', city: 'Novi Sad' });
    const closed = await world.addStorefront(7, { slug: 'closed-7', is_active: false });
    await world.addStorefront(8, { slug: 'other-8' });
    expect((await world.storefrontQueries.byId(undefined, { id: open })).slug).toBe('bikes-7');
    expect((await world.storefrontQueries.bySlug(undefined, { slug: 'bikes-7' })).id).toBe(open);
    expect(await caught(world.storefrontQueries.byId(STRANGER, { id: closed }))).toMatchObject({
      code: 'STOREFRONT_NOT_FOUND',
      message: `storefront not found: ${closed}`,
    });
    expect((await world.storefrontQueries.byId(OWNER, { id: closed })).isActive).toBe(false);
    expect((await caught(world.storefrontQueries.bySlug(undefined, { slug: ' ' })))?.message).toBe('slug is required');

    const mine = await world.storefrontQueries.list(OWNER, { userId: 7, sortBy: 'name', sortOrder: 'asc' });
    expect(mine.storefronts.map((storefront) => storefront.slug)).toEqual(['bikes-7', 'closed-7']);
    const publicView = await world.storefrontQueries.list(undefined, { userId: 7 });
    expect(publicView).toMatchObject({ total: 1, storefronts: [{ slug: 'bikes-7' }] });
    const byCity = await world.storefrontQueries.list(undefined, { city: 'Novi Sad' });
    expect(byCity.storefronts.map((storefront) => storefront.id)).toEqual([open]);
  });
});
