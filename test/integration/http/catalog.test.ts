import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, OWNER_ID, openApiWorld, STRANGER_ID } from './api-world.ts';

let world: ApiWorld;
beforeAll(async () => {
  world = await openApiWorld();
});
afterAll(() => world?.close());

interface CategoryJson {
  id: number;
  slug: string;
  parent_id?: number;
  listing_count: number;
  children?: CategoryJson[];
  children_count: number;
  path: string;
}

describe('categories', () => {
  it('lists all, roots and popular categories in sort order, snake_case, nulls omitted', async () => {
    const all = await world.request({ method: 'GET', url: '/api/v1/categories' });
    expect(all.statusCode).toBe(200);
    const categories = all.json().categories as CategoryJson[];
    expect(categories.length).toBe(Object.keys(world.categories).length);
    const electronics = categories.find((category) => category.slug === 'electronics');
    expect(electronics).toMatchObject({ is_active: true, level: 0, has_custom_ui: false });
    expect(electronics).not.toHaveProperty('parent_id');
    expect(electronics).not.toHaveProperty('translations');
    expect(categories.find((category) => category.slug === 'phones')?.parent_id).toBe(electronics?.id);

    const roots = (await world.request({ method: 'GET', url: '/api/v1/categories/root' })).json().categories;
    expect(roots.every((category: CategoryJson) => category.parent_id === undefined)).toBe(true);
    expect(roots.map((category: CategoryJson) => category.slug)).toContain('electronics');

    await world.newActiveListing({ category_id: world.categories.furniture });
    const popular = await world.request({ method: 'GET', url: '/api/v1/categories/popular?limit=2' });
    expect(popular.statusCode).toBe(200);
    expect(popular.json().categories).toHaveLength(2);
    expect(popular.json().categories[0]).toMatchObject({ slug: 'furniture', listing_count: 1 });
    expect((await world.request({ method: 'GET', url: '/api/v1/categories/popular?limit=x' })).statusCode).toBe(400);
  });

  it('reads one category, and its tree to every level (flaw #29)', async () => {
    const phones = await world.request({ method: 'GET', url: `/api/v1/categories/${world.categories.phones}` });
    expect(phones.json()).toMatchObject({ slug: 'phones', parent_id: world.categories.electronics, level: 1 });
    const tree = await world.request({ method: 'GET', url: `/api/v1/categories/${world.categories.electronics}/tree` });
    expect(tree.statusCode).toBe(200);
    const root = tree.json() as CategoryJson;
    const phonesNode = root.children?.find((child) => child.slug === 'phones');
    const smartphones = phonesNode?.children?.find((child) => child.slug === 'smartphones');
    expect(smartphones).toMatchObject({ path: 'electronics/phones/smartphones', children_count: 0 });
    expect(smartphones).not.toHaveProperty('children');
    expect(root.children_count).toBe(root.children?.length);
  });

  it('is 404 for a missing category or tree and 400 for a bad id', async () => {
    const missing = await world.request({ method: 'GET', url: '/api/v1/categories/999999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('CATEGORY_NOT_FOUND');
    expect((await world.request({ method: 'GET', url: '/api/v1/categories/999999/tree' })).statusCode).toBe(404);
    expect((await world.request({ method: 'GET', url: '/api/v1/categories/zero' })).statusCode).toBe(400);
  });
});

describe('storefronts', () => {
  it('reads by id and slug, lists with filters, and hides inactive ones from strangers', async () => {
    const open = await world.addStorefront(OWNER_ID, { slug: 'open-shop', city: 'Novi Sad', is_verified: true });
    const closed = await world.addStorefront(OWNER_ID, { slug: 'closed-shop', is_active: false });
    await world.addStorefront(STRANGER_ID, { slug: 'other-shop' });

    const byId = await world.request({ method: 'GET', url: `/api/v1/storefronts/${open}` });
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toMatchObject({
      id: open,
      user_id: OWNER_ID,
      slug: 'open-shop',
      city: 'Novi Sad',
      is_active: true,
      is_verified: true,
      country: 'RS',
    });
    expect(byId.json()).not.toHaveProperty('logo_url');
    const bySlug = await world.request({ method: 'GET', url: '/api/v1/storefronts/by-slug/open-shop' });
    expect(bySlug.json().id).toBe(open);

    expect((await world.request({ method: 'GET', url: `/api/v1/storefronts/${closed}` })).statusCode).toBe(404);
    expect(
      (await world.request({ method: 'GET', url: `/api/v1/storefronts/${closed}`, as: 'stranger' })).statusCode,
    ).toBe(404);
    expect((await world.request({ method: 'GET', url: `/api/v1/storefronts/${closed}`, as: 'owner' })).statusCode).toBe(
      200,
    );
    expect((await world.request({ method: 'GET', url: '/api/v1/storefronts/by-slug/nope' })).statusCode).toBe(404);

    const publicList = (
      await world.request({ method: 'GET', url: '/api/v1/storefronts?sort_by=name&sort_order=asc' })
    ).json();
    expect(publicList.total).toBe(2);
    expect(publicList.storefronts.map((s: { slug: string }) => s.slug)).toEqual(['open-shop', 'other-shop']);
    const mine = (
      await world.request({ method: 'GET', url: `/api/v1/storefronts?user_id=${OWNER_ID}`, as: 'owner' })
    ).json();
    expect(mine.total).toBe(2);
    const verified = (await world.request({ method: 'GET', url: '/api/v1/storefronts?is_verified=true' })).json();
    expect(verified.storefronts.map((s: { id: number }) => s.id)).toEqual([open]);
    for (const query of ['sort_by=rank', 'offset=-1', 'limit=500', 'is_active=maybe'])
      expect((await world.request({ method: 'GET', url: `/api/v1/storefronts?${query}` })).statusCode, query).toBe(400);
  });
});
