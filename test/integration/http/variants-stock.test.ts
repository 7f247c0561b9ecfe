import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, type Callers, OWNER_ID, openApiWorld } from './api-world.ts';

let world: ApiWorld;
let shop: number;
beforeAll(async () => {
  world = await openApiWorld();
  shop = await world.addStorefront(OWNER_ID);
});
afterAll(() => world?.close());

async function newProduct(overrides: Record<string, unknown> = {}): Promise<number> {
  const response = await world.request({
    method: 'POST',
    url: `/api/v1/storefronts/${shop}/products`,
    as: 'owner',
    payload: {
      name: 'Desk lamp',
      price: 20,
      currency: 'RSD',
      category_id: world.categories.furniture,
      stock_quantity: 10,
      ...overrides,
    },
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id as number;
}

function post(url: string, payload: unknown, as?: keyof Callers) {
  return world.request({ method: 'POST', url: `/api/v1${url}`, as, payload: payload as Record<string, unknown> });
}

describe('variant routes', () => {
  it('creates, reads, updates and deletes variants with the default rules', async () => {
    const productId = await newProduct({ has_variants: true });
    const base = `/products/${productId}/variants`;
    expect((await post(base, { stock_quantity: 1 })).statusCode).toBe(401);
    expect((await post(base, { stock_quantity: 1 }, 'stranger')).statusCode).toBe(403);
    const first = await post(
      base,
      { sku: 'RED', stock_quantity: 3, price: 25.5, variant_attributes: { color: 'red' } },
      'owner',
    );
    expect(first.statusCode).toBe(201);
    expect(first.headers.location).toBe(`/api/v1${base}/${first.json().id}`);
    expect(first.json()).toMatchObject({
      sku: 'RED',
      is_default: true,
      is_active: true,
      stock_status: 'low_stock',
      price: 25.5,
    });
    const bulk = await post(
      `${base}/bulk`,
      {
        variants: [
          { sku: 'BLUE', stock_quantity: 0 },
          { sku: 'GREEN', stock_quantity: 9 },
        ],
      },
      'owner',
    );
    expect(bulk.statusCode).toBe(201);
    expect(bulk.json().variants.map((v: { stock_status: string }) => v.stock_status)).toEqual([
      'out_of_stock',
      'in_stock',
    ]);
    expect((await post(`${base}/bulk`, { variants: [{ sku: 'RED', stock_quantity: 1 }] }, 'owner')).statusCode).toBe(
      409,
    );

    const list = await world.request({ method: 'GET', url: `/api/v1${base}` });
    expect(list.json().variants.map((v: { sku: string }) => v.sku)).toEqual(['RED', 'BLUE', 'GREEN']);
    const one = await world.request({ method: 'GET', url: `/api/v1${base}/${first.json().id}` });
    expect(one.json().variant_attributes).toEqual({ color: 'red' });
    expect(
      (await world.request({ method: 'GET', url: `/api/v1/products/${productId + 1000}/variants/${first.json().id}` }))
        .statusCode,
    ).toBe(404);

    const [red, blue, green] = list.json().variants.map((v: { id: number }) => v.id);
    const madeDefault = await world.request({
      method: 'PATCH',
      url: `/api/v1${base}/${green}`,
      as: 'owner',
      payload: { is_default: true, stock_quantity: 20 },
    });
    expect(madeDefault.json()).toMatchObject({ is_default: true, stock_quantity: 20 });
    expect(
      (await world.request({ method: 'PATCH', url: `/api/v1${base}/${green}`, as: 'owner', payload: {} })).statusCode,
    ).toBe(400);
    expect((await world.request({ method: 'DELETE', url: `/api/v1${base}/${red}`, as: 'stranger' })).statusCode).toBe(
      403,
    );
    expect((await world.request({ method: 'DELETE', url: `/api/v1${base}/${red}`, as: 'owner' })).statusCode).toBe(204);
    expect((await world.request({ method: 'DELETE', url: `/api/v1${base}/${blue}`, as: 'admin' })).statusCode).toBe(
      204,
    );
    const lastOne = await world.request({
      method: 'PATCH',
      url: `/api/v1${base}/${green}`,
      as: 'owner',
      payload: { is_active: false },
    });
    expect(lastOne.statusCode).toBe(409);
  });

  it('refuses variants on a product without has_variants (409) and on a missing product (404)', async () => {
    const plain = await newProduct();
    expect((await post(`/products/${plain}/variants`, { stock_quantity: 1 }, 'owner')).statusCode).toBe(409);
    expect((await post('/products/999999/variants', { stock_quantity: 1 }, 'admin')).statusCode).toBe(404);
    const negative = await post(`/products/${plain}/variants`, { stock_quantity: -1 }, 'owner');
    expect(negative.statusCode).toBe(400);
  });
});

describe('stock routes', () => {
  it('needs the service role: anonymous 401, a user (even the owner) 403', async () => {
    const productId = await newProduct();
    const body = { items: [{ product_id: productId, quantity: 1 }] };
    for (const path of ['/stock/decrement', '/stock/rollback', '/stock/check']) {
      expect((await post(path, body)).statusCode, path).toBe(401);
      expect((await post(path, body, 'owner')).statusCode, path).toBe(403);
    }
    const batch = { storefront_id: shop, items: [{ product_id: productId, quantity: 1 }] };
    expect((await post('/stock/batch-update', batch, 'owner')).statusCode).toBe(403);
    const movement = { storefront_id: shop, movement_type: 'in', quantity: 1 };
    expect((await post(`/products/${productId}/movements`, movement, 'owner')).statusCode).toBe(403);
  });

  it('decrements all or nothing with in-band failures, rolls back idempotently, and checks availability', async () => {
    const productId = await newProduct({ stock_quantity: 5 });
    const check = await post(
      '/stock/check',
      {
        items: [
          { product_id: productId, quantity: 4 },
          { product_id: 999_999, quantity: 1 },
        ],
      },
      'service',
    );
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({
      all_available: false,
      items: [
        { product_id: productId, available_quantity: 5, is_available: true },
        { product_id: 999_999, available_quantity: 0, is_available: false },
      ],
    });
    const tooMuch = await post(
      '/stock/decrement',
      { items: [{ product_id: productId, quantity: 6 }], order_id: 'o-1' },
      'service',
    );
    expect(tooMuch.statusCode).toBe(200);
    expect(tooMuch.json()).toMatchObject({
      success: false,
      results: [{ success: false, stock_before: 5, stock_after: 5 }],
    });
    expect(tooMuch.json().error).toBe(
      `failed to decrement stock for product ${productId}: insufficient stock for product ${productId}: have 5, need 6`,
    );
    const sold = await post(
      '/stock/decrement',
      { items: [{ product_id: productId, quantity: 2 }], order_id: 'o-1' },
      'service',
    );
    expect(sold.json()).toEqual({
      success: true,
      results: [{ product_id: productId, stock_before: 5, stock_after: 3, success: true }],
    });
    const back = await post(
      '/stock/rollback',
      { items: [{ product_id: productId, quantity: 2 }], order_id: 'o-1' },
      'service',
    );
    expect(back.json()).toMatchObject({ success: true, results: [{ stock_before: 3, stock_after: 5 }] });
    const retry = await post(
      '/stock/rollback',
      { items: [{ product_id: productId, quantity: 2 }], order_id: 'o-1' },
      'service',
    );
    expect(retry.json()).toMatchObject({ success: true, results: [{ stock_before: 5, stock_after: 5 }] });
    const noOrder = await post('/stock/rollback', { items: [{ product_id: productId, quantity: 2 }] }, 'service');
    expect(noOrder.json()).toMatchObject({ success: false, error: 'order_id is required for idempotency protection' });
    expect((await post('/stock/decrement', { items: [{ product_id: productId }] }, 'service')).statusCode).toBe(400);
    expect((await post('/stock/check', { items: [] }, 'service')).statusCode).toBe(400);
  });

  it('records movements, sets levels in bulk, counts views and reports stats', async () => {
    const productId = await newProduct({ stock_quantity: 10 });
    const movement = await post(
      `/products/${productId}/movements`,
      { storefront_id: shop, movement_type: 'out', quantity: 4, reason: 'damaged', user_id: OWNER_ID },
      'service',
    );
    expect(movement.json()).toEqual({ success: true, stock_before: 10, stock_after: 6 });
    const overdraw = await post(
      `/products/${productId}/movements`,
      { storefront_id: shop, movement_type: 'out', quantity: 7, user_id: 1 },
      'service',
    );
    expect(overdraw.statusCode).toBe(409);
    expect(overdraw.json().code).toBe('INSUFFICIENT_STOCK');
    const badType = await post(
      `/products/${productId}/movements`,
      { storefront_id: shop, movement_type: 'gift', quantity: 1 },
      'service',
    );
    expect(badType.statusCode).toBe(400);
    const missing = await post(
      '/products/999999/movements',
      { storefront_id: shop, movement_type: 'in', quantity: 1, user_id: 1 },
      'admin',
    );
    expect(missing.statusCode).toBe(404);

    const batch = await post(
      '/stock/batch-update',
      {
        storefront_id: shop,
        items: [
          { product_id: productId, quantity: 0 },
          { product_id: 999_999, quantity: 3 },
        ],
        reason: 'inventory count',
      },
      'service',
    );
    expect(batch.statusCode).toBe(200);
    expect(batch.json()).toMatchObject({ successful_count: 1, failed_count: 1 });
    expect(batch.json().results[0]).toEqual({ product_id: productId, stock_before: 6, stock_after: 0, success: true });

    const views = await post(`/products/${productId}/views`, undefined);
    expect(views.json()).toEqual({ view_count: 1 });
    expect((await post('/products/999999/views', undefined)).statusCode).toBe(404);

    const statsUrl = `/api/v1/storefronts/${shop}/product-stats`;
    expect((await world.request({ method: 'GET', url: statsUrl })).statusCode).toBe(401);
    expect((await world.request({ method: 'GET', url: statsUrl, as: 'stranger' })).statusCode).toBe(403);
    const stats = await world.request({ method: 'GET', url: statsUrl, as: 'owner' });
    expect(stats.statusCode).toBe(200);
    expect(stats.json()).toMatchObject({ out_of_stock: 1 });
    expect(stats.json().total_products).toBeGreaterThanOrEqual(1);
    expect(typeof stats.json().total_value).toBe('number');
    const unknown = await world.request({
      method: 'GET',
      url: '/api/v1/storefronts/999999/product-stats',
      as: 'admin',
    });
    expect(unknown.json()).toEqual({
      total_products: 0,
      active_products: 0,
      out_of_stock: 0,
      low_stock: 0,
      total_value: 0,
      total_sold: 0,
    });
  });
});
