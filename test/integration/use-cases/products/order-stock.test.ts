import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, type Catalog, openCatalog, rejection, SERVICE, user } from './fixture.ts';

describe.each(['pglite', 'postgres'] as const)('order stock on %s', (kind) => {
  let catalog: Catalog;
  let shop: number;
  const owner = user(7);

  beforeAll(async () => {
    catalog = await openCatalog(kind);
  });
  afterAll(() => catalog?.dispose());
  beforeEach(async () => {
    await catalog.reset();
    shop = await catalog.addStorefront(7);
  });

  const stockOf = async (id: number) => (await catalog.row(id)).quantity;
  const clearOutbox = () => catalog.knex('indexing_queue').delete();

  it('needs the service role for every stock RPC', async () => {
    const product = await catalog.newProduct(shop);
    const items = [{ productId: product.id, quantity: 1 }];
    const calls = (caller: typeof owner | undefined) => [
      catalog.decrement.execute(caller, { items }),
      catalog.rollback.execute(caller, { items, orderId: 'o' }),
      catalog.check.execute(caller, { items }),
      catalog.movement.execute(caller, {
        storefrontId: shop,
        productId: product.id,
        movementType: 'in',
        quantity: 1,
        userId: 7,
      }),
      catalog.batch.execute(caller, { storefrontId: shop, items }),
    ];
    for (const call of calls(owner)) {
      expect((await rejection(call, 'PERMISSION_DENIED')).message).toBe('this operation requires the service role');
    }
    for (const call of calls(undefined)) await rejection(call, 'UNAUTHENTICATED');
    expect(await stockOf(product.id)).toBe(10);
    expect(await catalog.count('inventory_movements')).toBe(0);
    // Admins are trusted like services.
    expect((await catalog.decrement.execute(ADMIN, { items })).success).toBe(true);
  });

  describe('DecrementStock', () => {
    it('decrements under locks, writes sale movements with the order id, sold_count and stock_status', async () => {
      const a = await catalog.newProduct(shop, { stockQuantity: 10 });
      const b = await catalog.newProduct(shop, { stockQuantity: 8 });
      await clearOutbox();
      const result = await catalog.decrement.execute(SERVICE, {
        orderId: 'order-1',
        items: [
          { productId: b.id, quantity: 3 },
          { productId: a.id, quantity: 4 },
          { productId: b.id, quantity: 2 },
        ],
      });
      expect(result).toEqual({
        success: true,
        results: [
          { productId: b.id, variantId: null, stockBefore: 8, stockAfter: 5, success: true },
          { productId: a.id, variantId: null, stockBefore: 10, stockAfter: 6, success: true },
          { productId: b.id, variantId: null, stockBefore: 5, stockAfter: 3, success: true },
        ],
      });
      const rowB = await catalog.row(b.id);
      expect([rowB.quantity, rowB.soldCount, rowB.stockStatus]).toEqual([3, 5, 'low_stock']);
      expect(await catalog.movements(b.id)).toEqual([
        { variantId: null, type: 'sale', quantity: -5, orderId: 'order-1', reason: 'sale', userId: null },
      ]);
      await catalog.expectOnePending(a.id, { operation: 'update', version: (await catalog.row(a.id)).version });
      await catalog.expectOnePending(b.id, { operation: 'update', version: rowB.version });
      expect(catalog.metrics.events).toEqual(
        expect.arrayContaining(['stockOperation:decrement:success', 'movementRecorded:sale', 'lowStockReached']),
      );
    });

    it('decrements variant stock (b2c_product_variants)', async () => {
      const { product, variantIds } = await catalog.newProductWithVariants(shop, [4, 9]);
      const variantId = variantIds[1]!;
      const result = await catalog.decrement.execute(SERVICE, {
        items: [{ productId: product.id, variantId, quantity: 9 }],
      });
      expect(result.results).toEqual([
        { productId: product.id, variantId, stockBefore: 9, stockAfter: 0, success: true },
      ]);
      const variant = await catalog.variantRow(variantId);
      expect([variant.stock_quantity, variant.stock_status, variant.sold_count]).toEqual([0, 'out_of_stock', 9]);
      expect(await stockOf(product.id)).toBe(10);
    });

    it('is all or nothing, with the failure in-band in the original words', async () => {
      const a = await catalog.newProduct(shop, { stockQuantity: 10 });
      const b = await catalog.newProduct(shop, { stockQuantity: 2 });
      await clearOutbox();
      const result = await catalog.decrement.execute(SERVICE, {
        items: [
          { productId: a.id, quantity: 5 },
          { productId: b.id, quantity: 3 },
        ],
      });
      const error = `failed to decrement stock for product ${b.id}: insufficient stock for product ${b.id}: have 2, need 3`;
      expect(result).toEqual({
        success: false,
        error,
        results: [
          {
            productId: a.id,
            variantId: null,
            stockBefore: 10,
            stockAfter: 10,
            success: false,
            error: 'not applied: another item of the request failed',
          },
          { productId: b.id, variantId: null, stockBefore: 2, stockAfter: 2, success: false, error },
        ],
      });
      expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([10, 2]);
      expect(await catalog.count('inventory_movements')).toBe(0);
      expect(await catalog.count('indexing_queue')).toBe(0);
      expect(catalog.metrics.events).toEqual(
        expect.arrayContaining(['stockOperation:decrement:rejected', 'movementFailed:insufficient_stock']),
      );
    });

    it('reports bad input and missing products in-band', async () => {
      const product = await catalog.newProduct(shop);
      const cases: [unknown[], string][] = [
        [[], 'no items provided'],
        [[{ productId: 0, quantity: 1 }], 'invalid product_id'],
        [[{ productId: product.id, quantity: 0 }], 'quantity must be positive'],
        [
          [{ productId: 999_999, quantity: 1 }],
          'failed to decrement stock for product 999999: product 999999 not found',
        ],
        [
          [{ productId: product.id, variantId: 77, quantity: 1 }],
          `failed to decrement stock for product ${product.id}: product ${product.id} variant 77 not found`,
        ],
      ];
      for (const [items, error] of cases) {
        const result = await catalog.decrement.execute(SERVICE, { items: items as never });
        expect([result.success, result.error]).toEqual([false, error]);
      }
      expect(await stockOf(product.id)).toBe(10);
    });
  });

  describe('RollbackStock', () => {
    it('requires an order id', async () => {
      for (const orderId of [undefined, null, '', '  ']) {
        expect(await catalog.rollback.execute(SERVICE, { orderId, items: [{ productId: 1, quantity: 1 }] })).toEqual({
          success: false,
          error: 'order_id is required for idempotency protection',
          results: [],
        });
      }
    });

    it('restores once per (order, item): a retry restores nothing and still succeeds', async () => {
      const product = await catalog.newProduct(shop, { stockQuantity: 10 });
      const { variantIds, product: withVariants } = await catalog.newProductWithVariants(shop, [5]);
      const items = [
        { productId: product.id, quantity: 3 },
        { productId: withVariants.id, variantId: variantIds[0]!, quantity: 2 },
      ];
      await catalog.decrement.execute(SERVICE, { orderId: 'order-9', items });
      const first = await catalog.rollback.execute(SERVICE, { orderId: 'order-9', items });
      expect(first).toEqual({
        success: true,
        results: [
          { productId: product.id, variantId: null, stockBefore: 7, stockAfter: 10, success: true },
          { productId: withVariants.id, variantId: variantIds[0], stockBefore: 3, stockAfter: 5, success: true },
        ],
      });
      expect((await catalog.row(product.id)).soldCount).toBe(0);
      const again = await catalog.rollback.execute(SERVICE, { orderId: 'order-9', items });
      expect(again.success).toBe(true);
      expect(again.results.map((result) => [result.success, result.stockAfter])).toEqual([
        [true, 10],
        [true, 5],
      ]);
      expect(await stockOf(product.id)).toBe(10);
      expect((await catalog.variantRow(variantIds[0]!)).stock_quantity).toBe(5);
      expect((await catalog.movements(product.id)).map((movement) => [movement.type, movement.quantity])).toEqual([
        ['sale', -3],
        ['rollback', 3],
      ]);
      // Another order is its own key.
      await catalog.rollback.execute(SERVICE, { orderId: 'order-10', items: [items[0]!] });
      expect(await stockOf(product.id)).toBe(13);
      expect((await catalog.row(product.id)).soldCount).toBe(0);
    });

    it('reports failures per item, commits the others, and says success only when all succeeded', async () => {
      const product = await catalog.newProduct(shop, { stockQuantity: 1 });
      const result = await catalog.rollback.execute(SERVICE, {
        orderId: 'order-2',
        items: [
          { productId: 999_999, quantity: 1 },
          { productId: product.id, quantity: 2 },
        ],
      });
      expect(result).toEqual({
        success: false,
        error: 'product 999999 not found',
        results: [
          {
            productId: 999_999,
            variantId: null,
            stockBefore: 0,
            stockAfter: 0,
            success: false,
            error: 'product 999999 not found',
          },
          { productId: product.id, variantId: null, stockBefore: 1, stockAfter: 3, success: true },
        ],
      });
      expect(await stockOf(product.id)).toBe(3);
    });
  });
});
