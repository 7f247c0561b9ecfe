import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, type Callers, OWNER_ID, openApiWorld, STRANGER_ID } from './api-world.ts';

let world: ApiWorld;
let shop: number;
beforeAll(async () => {
  world = await openApiWorld();
  shop = await world.addStorefront(OWNER_ID);
});
afterAll(() => world?.close());

const products = (storefrontId: number) => `/api/v1/storefronts/${storefrontId}/products`;

function productBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Trail shoes',
    description: 'Light and waterproof',
    price: 49.99,
    currency: 'RSD',
    category_id: world.categories.fashion,
    stock_quantity: 10,
    ...overrides,
  };
}

async function newProduct(overrides: Record<string, unknown> = {}, as: keyof Callers = 'owner') {
  const response = await world.request({ method: 'POST', url: products(shop), as, payload: productBody(overrides) });
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.body}`);
  return response.json() as { id: number; version: number; [key: string]: unknown };
}

describe('product CRUD', () => {
  it('creates an active product of the storefront owner: 201, Location, the Product JSON', async () => {
    const response = await world.request({
      method: 'POST',
      url: products(shop),
      as: 'owner',
      payload: productBody({ sku: 'SHOE-1', attributes: { size: 42 }, has_variants: true }),
    });
    expect(response.statusCode).toBe(201);
    const product = response.json();
    expect(response.headers.location).toBe(`${products(shop)}/${product.id}`);
    expect(product).toMatchObject({
      storefront_id: shop,
      user_id: OWNER_ID,
      name: 'Trail shoes',
      price: 49.99,
      stock_quantity: 10,
      stock_status: 'in_stock',
      is_active: true,
      status: 'active',
      sku: 'SHOE-1',
      attributes: { size: 42 },
      has_variants: true,
      version: 1,
    });
    expect(product).not.toHaveProperty('barcode');
    expect(product).not.toHaveProperty('variants');
  });

  it('follows the access matrix on create: anonymous 401, other user 403, admin and service 201', async () => {
    const expected: [keyof Callers | undefined, number][] = [
      [undefined, 401],
      ['stranger', 403],
      ['admin', 201],
      ['service', 201],
    ];
    for (const [as, status] of expected) {
      const response = await world.request({ method: 'POST', url: products(shop), as, payload: productBody() });
      expect(response.statusCode, String(as)).toBe(status);
    }
    expect(
      (await world.request({ method: 'POST', url: products(999_999), as: 'admin', payload: productBody() })).statusCode,
    ).toBe(404);
  });

  it('refuses invalid products with violations and a taken SKU with 409', async () => {
    const bad = await world.request({
      method: 'POST',
      url: products(shop),
      as: 'owner',
      payload: productBody({ name: 'ab', price: 0, location_privacy: 'public' }),
    });
    expect(bad.statusCode).toBe(400);
    await newProduct({ sku: 'TAKEN' });
    const taken = await world.request({
      method: 'POST',
      url: products(shop),
      as: 'owner',
      payload: productBody({ sku: 'TAKEN' }),
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('ALREADY_EXISTS');
    const unknown = await world.request({
      method: 'POST',
      url: products(shop),
      as: 'owner',
      payload: productBody({ title: 'x' }),
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().violations[0]).toMatchObject({ field: 'title', reason: 'additionalProperties' });
  });

  it('replays an idempotent create and refuses the key with another body', async () => {
    const before = await world.count('listings');
    const send = (payload: Record<string, unknown>) =>
      world.request({
        method: 'POST',
        url: products(shop),
        as: 'owner',
        payload,
        headers: { 'idempotency-key': 'p-1' },
      });
    const first = await send(productBody({ name: 'Once only' }));
    const again = await send(productBody({ name: 'Once only' }));
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect((await send(productBody({ name: 'Something else' }))).statusCode).toBe(422);
    expect(await world.count('listings')).toBe(before + 1);
  });

  it('reads products (ETag, 304, with variants), lists a storefront page, and looks up by ids and SKUs', async () => {
    const product = await newProduct({ sku: 'LOOK-1' });
    const direct = await world.request({ method: 'GET', url: `/api/v1/products/${product.id}` });
    expect(direct.statusCode).toBe(200);
    const cached = await world.request({
      method: 'GET',
      url: `/api/v1/products/${product.id}`,
      headers: { 'if-none-match': direct.headers.etag as string },
    });
    expect(cached.statusCode).toBe(304);
    const scoped = await world.request({ method: 'GET', url: `${products(shop)}/${product.id}?with_variants=true` });
    expect(scoped.json().id).toBe(product.id);
    const otherShop = await world.addStorefront(STRANGER_ID);
    expect((await world.request({ method: 'GET', url: `${products(otherShop)}/${product.id}` })).statusCode).toBe(404);

    const page = await world.request({ method: 'GET', url: `${products(shop)}?page=1&page_size=2` });
    expect(page.statusCode).toBe(200);
    expect(page.json().products).toHaveLength(2);
    expect(page.json().total_count).toBeGreaterThanOrEqual(3);
    expect((await world.request({ method: 'GET', url: `${products(shop)}?page=0` })).statusCode).toBe(400);

    const byIds = await world.request({ method: 'GET', url: `/api/v1/products?ids=${product.id}&ids=999999` });
    expect(byIds.json()).toMatchObject({ total_count: 1, products: [{ id: product.id }] });
    const bySkus = await world.request({ method: 'GET', url: '/api/v1/products?skus=LOOK-1&skus=NOPE' });
    expect(bySkus.json().products.map((p: { sku: string }) => p.sku)).toEqual(['LOOK-1']);
    expect((await world.request({ method: 'GET', url: '/api/v1/products' })).statusCode).toBe(400);
    expect((await world.request({ method: 'GET', url: '/api/v1/products?ids=1&skus=A' })).statusCode).toBe(400);
  });

  it('updates by PATCH and PUT for the owner only; deletes soft and hard', async () => {
    const product = await newProduct();
    const url = `${products(shop)}/${product.id}`;
    expect((await world.request({ method: 'PATCH', url, payload: { name: 'Nope' } })).statusCode).toBe(401);
    expect((await world.request({ method: 'PATCH', url, as: 'stranger', payload: { name: 'Nope' } })).statusCode).toBe(
      403,
    );
    const patched = await world.request({
      method: 'PATCH',
      url,
      as: 'owner',
      payload: { name: 'Road shoes', is_active: false, stock_quantity: 2 },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Road shoes',
      is_active: false,
      status: 'inactive',
      stock_quantity: 2,
    });
    expect(patched.json().stock_status).toBe('low_stock');
    const masked = await world.request({
      method: 'PUT',
      url,
      as: 'admin',
      payload: { name: 'Ignored', price: 59.5, update_mask: ['price'] },
    });
    expect(masked.json()).toMatchObject({ name: 'Road shoes', price: 59.5 });
    const empty = await world.request({ method: 'PATCH', url, as: 'owner', payload: {} });
    expect(empty.statusCode).toBe(400);
    const badMask = await world.request({
      method: 'PATCH',
      url,
      as: 'owner',
      payload: { name: 'X y z', update_mask: ['colour'] },
    });
    expect(badMask.statusCode).toBe(400);

    const soft = await world.request({ method: 'DELETE', url, as: 'owner' });
    expect(soft.statusCode).toBe(200);
    expect(soft.json()).toEqual({ message: 'Product soft deleted successfully', variants_deleted: 0 });
    expect((await world.request({ method: 'GET', url })).statusCode).toBe(404);
    expect((await world.request({ method: 'DELETE', url, as: 'owner' })).statusCode).toBe(404);
    const other = await newProduct();
    const hard = await world.request({ method: 'DELETE', url: `${products(shop)}/${other.id}?hard=true`, as: 'admin' });
    expect(hard.json().message).toBe('Product hard deleted successfully');
    expect(await world.count('listings', { id: other.id })).toBe(0);
  });
});

describe('bulk product routes', () => {
  it('creates in bulk with per-item SKU failures, updates per item, and deletes in bulk', async () => {
    const created = await world.request({
      method: 'POST',
      url: `${products(shop)}/bulk`,
      as: 'owner',
      payload: { products: [productBody({ sku: 'B-1' }), productBody({ sku: 'B-1' }), productBody({ sku: 'B-2' })] },
    });
    expect(created.statusCode).toBe(200);
    const result = created.json();
    expect(result).toMatchObject({ successful_count: 2, failed_count: 1 });
    expect(result.errors).toEqual([
      { index: 1, error_code: 'products.sku_duplicate', error_message: 'SKU B-1 already exists in storefront' },
    ]);
    const [a, b] = result.products.map((p: { id: number }) => p.id);

    const invalid = await world.request({
      method: 'POST',
      url: `${products(shop)}/bulk`,
      as: 'owner',
      payload: { products: [productBody(), productBody({ name: '' })] },
    });
    expect(invalid.statusCode).toBe(400);
    expect(
      (await world.request({ method: 'POST', url: `${products(shop)}/bulk`, as: 'owner', payload: { products: [] } }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await world.request({
          method: 'POST',
          url: `${products(shop)}/bulk`,
          as: 'stranger',
          payload: { products: [productBody()] },
        })
      ).statusCode,
    ).toBe(403);

    const updated = await world.request({
      method: 'PATCH',
      url: `${products(shop)}/bulk`,
      as: 'owner',
      payload: {
        updates: [
          { product_id: a, price: 12.5 },
          { product_id: 999_999, price: 1 },
          { product_id: b, sku: 'B-2' },
        ],
      },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ successful_count: 2, failed_count: 1 });
    expect(updated.json().errors[0]).toMatchObject({ index: 1, product_id: 999_999, error_code: 'products.not_found' });

    const deleted = await world.request({
      method: 'POST',
      url: `${products(shop)}/bulk-delete`,
      as: 'owner',
      payload: { product_ids: [a, a, 999_999] },
    });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ successful_count: 1, failed_count: 1, variants_deleted: 0 });
    expect(deleted.json().errors[0]).toMatchObject({ product_id: 999_999, error_code: 'products.not_found' });
    const empty = await world.request({
      method: 'POST',
      url: `${products(shop)}/bulk-delete`,
      as: 'owner',
      payload: { product_ids: [] },
    });
    expect(empty.statusCode).toBe(400);
  });
});
