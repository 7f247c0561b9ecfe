import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Catalog, openCatalog, SERVICE } from './fixture.ts';

// Races need real concurrent connections: PostgreSQL 15 only (PGlite has one connection).
describe('stock races on postgres', () => {
  let catalog: Catalog;
  let shop: number;

  beforeAll(async () => {
    catalog = await openCatalog('postgres');
  });
  afterAll(() => catalog?.dispose());
  beforeEach(async () => {
    await catalog.reset();
    shop = await catalog.addStorefront(7);
  });

  it('50 concurrent DecrementStock calls of 1 unit against stock 10: exactly 10 succeed, stock ends at 0', async () => {
    const product = await catalog.newProduct(shop, { stockQuantity: 10 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        catalog.decrement.execute(SERVICE, { orderId: `order-${i}`, items: [{ productId: product.id, quantity: 1 }] }),
      ),
    );
    const won = results.filter((result) => result.success);
    expect(won).toHaveLength(10);
    for (const result of results.filter((r) => !r.success)) {
      expect(result.error).toBe(
        `failed to decrement stock for product ${product.id}: insufficient stock for product ${product.id}: have 0, need 1`,
      );
    }
    // Each winner saw a distinct level: the locks serialised them.
    expect(won.map((result) => result.results[0]!.stockBefore).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    const row = await catalog.row(product.id);
    expect([row.quantity, row.soldCount, row.stockStatus]).toEqual([0, 10, 'out_of_stock']);
    expect(await catalog.count('inventory_movements', { listing_id: product.id, movement_type: 'sale' })).toBe(10);
    await catalog.expectOnePending(product.id, { operation: 'update', version: row.version });
  });

  it('the same race on a variant', async () => {
    const { product, variantIds } = await catalog.newProductWithVariants(shop, [10]);
    const variantId = variantIds[0]!;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        catalog.decrement.execute(SERVICE, { items: [{ productId: product.id, variantId, quantity: 1 }] }),
      ),
    );
    expect(results.filter((result) => result.success)).toHaveLength(10);
    expect((await catalog.variantRow(variantId)).stock_quantity).toBe(0);
  });

  it('orders crossing the same two products in opposite orders neither deadlock nor oversell', async () => {
    const a = await catalog.newProduct(shop, { stockQuantity: 20 });
    const b = await catalog.newProduct(shop, { stockQuantity: 20 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        catalog.decrement.execute(SERVICE, {
          items:
            i % 2 === 0
              ? [
                  { productId: a.id, quantity: 1 },
                  { productId: b.id, quantity: 1 },
                ]
              : [
                  { productId: b.id, quantity: 1 },
                  { productId: a.id, quantity: 1 },
                ],
        }),
      ),
    );
    expect(results.filter((result) => result.success)).toHaveLength(20);
    expect([(await catalog.row(a.id)).quantity, (await catalog.row(b.id)).quantity]).toEqual([0, 0]);
  });

  it('concurrent retries of one RollbackStock restore once', async () => {
    const product = await catalog.newProduct(shop, { stockQuantity: 10 });
    await catalog.decrement.execute(SERVICE, { orderId: 'o-1', items: [{ productId: product.id, quantity: 4 }] });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        catalog.rollback.execute(SERVICE, { orderId: 'o-1', items: [{ productId: product.id, quantity: 4 }] }),
      ),
    );
    expect(results.every((result) => result.success)).toBe(true);
    expect((await catalog.row(product.id)).quantity).toBe(10);
    expect(await catalog.count('inventory_movements', { listing_id: product.id, movement_type: 'rollback' })).toBe(1);
  });
});
