import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Catalog, openCatalog, rejection, SERVICE } from './fixture.ts';

describe.each(['pglite', 'postgres'] as const)('stock levels on %s', (kind) => {
  let catalog: Catalog;
  let shop: number;

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

  describe('CheckStockAvailability', () => {
    it('reads without writing; a missing product has 0 available', async () => {
      const product = await catalog.newProduct(shop, { stockQuantity: 5 });
      const { product: parent, variantIds } = await catalog.newProductWithVariants(shop, [2]);
      const result = await catalog.check.execute(SERVICE, {
        items: [
          { productId: product.id, quantity: 5 },
          { productId: parent.id, variantId: variantIds[0]!, quantity: 3 },
          { productId: 999_999, quantity: 1 },
        ],
      });
      expect(result).toEqual({
        allAvailable: false,
        items: [
          { productId: product.id, variantId: null, requestedQuantity: 5, availableQuantity: 5, isAvailable: true },
          {
            productId: parent.id,
            variantId: variantIds[0],
            requestedQuantity: 3,
            availableQuantity: 2,
            isAvailable: false,
          },
          { productId: 999_999, variantId: null, requestedQuantity: 1, availableQuantity: 0, isAvailable: false },
        ],
      });
      const twice = await catalog.check.execute(SERVICE, {
        items: [
          { productId: product.id, quantity: 3 },
          { productId: product.id, quantity: 3 },
        ],
      });
      expect(twice.items.map((item) => item.isAvailable)).toEqual([true, false]);
      expect(
        (await catalog.check.execute(SERVICE, { items: [{ productId: product.id, quantity: 1 }] })).allAvailable,
      ).toBe(true);
      const bad = await rejection(
        catalog.check.execute(SERVICE, { items: [{ productId: -1, quantity: 1 }] }),
        'VALIDATION_FAILED',
      );
      expect(bad.message).toBe('invalid product_id');
      expect(await catalog.count('inventory_movements')).toBe(0);
    });
  });

  describe('RecordInventoryMovement', () => {
    const base = { userId: 42, reason: 'restock', notes: 'pallet 7' };

    it('adds, subtracts and sets, recording the signed change and the acting user', async () => {
      const product = await catalog.newProduct(shop, { stockQuantity: 10 });
      const move = (movementType: string, quantity: number) =>
        catalog.movement.execute(SERVICE, {
          ...base,
          storefrontId: shop,
          productId: product.id,
          movementType,
          quantity,
        });
      expect(await move('in', 5)).toEqual({ success: true, stockBefore: 10, stockAfter: 15 });
      expect(await move('out', 3)).toEqual({ success: true, stockBefore: 15, stockAfter: 12 });
      expect(await move('adjustment', 0)).toEqual({ success: true, stockBefore: 12, stockAfter: 0 });
      expect(await move('adjustment', 0)).toEqual({ success: true, stockBefore: 0, stockAfter: 0 });
      expect((await catalog.movements(product.id)).map((m) => [m.type, m.quantity, m.userId, m.reason])).toEqual([
        ['in', 5, 42, 'restock'],
        ['out', -3, 42, 'restock'],
        ['adjustment', -12, 42, 'restock'],
      ]);
      expect((await catalog.row(product.id)).stockStatus).toBe('out_of_stock');
      await catalog.expectOnePending(product.id, {
        operation: 'update',
        version: (await catalog.row(product.id)).version,
      });
    });

    it('refuses negative results, unknown targets and other storefronts with catalogue errors', async () => {
      const product = await catalog.newProduct(shop, { stockQuantity: 2 });
      const other = await catalog.addStorefront(9);
      const move = (fields: Record<string, unknown>) =>
        catalog.movement.execute(SERVICE, {
          ...base,
          storefrontId: shop,
          productId: product.id,
          movementType: 'out',
          quantity: 1,
          ...fields,
        } as never);
      const short = await rejection(move({ quantity: 3 }), 'INSUFFICIENT_STOCK', 'inventory.insufficient_stock');
      expect(short.message).toBe(`insufficient stock for product ${product.id}: have 2, need 3`);
      await rejection(move({ productId: 999_999 }), 'PRODUCT_NOT_FOUND', 'inventory.product_not_found');
      await rejection(move({ storefrontId: other }), 'PRODUCT_NOT_FOUND', 'inventory.product_not_found');
      await rejection(move({ variantId: 55 }), 'VARIANT_NOT_FOUND', 'inventory.variant_not_found');
      const type = await rejection(move({ movementType: 'sale' }), 'VALIDATION_FAILED');
      expect(type.message).toBe("movement_type must be 'in', 'out', or 'adjustment'");
      expect(await stockOf(product.id)).toBe(2);
      expect(await catalog.count('inventory_movements')).toBe(0);
    });

    it('moves variant stock', async () => {
      const { product, variantIds } = await catalog.newProductWithVariants(shop, [1]);
      const result = await catalog.movement.execute(SERVICE, {
        ...base,
        storefrontId: shop,
        productId: product.id,
        variantId: variantIds[0]!,
        movementType: 'in',
        quantity: 9,
      });
      expect(result).toEqual({ success: true, stockBefore: 1, stockAfter: 10 });
      expect((await catalog.variantRow(variantIds[0]!)).stock_status).toBe('in_stock');
    });
  });

  describe('BatchUpdateStock', () => {
    it('sets absolute levels of products and variants, one adjustment movement per change, failures per item', async () => {
      const a = await catalog.newProduct(shop, { stockQuantity: 10 });
      const b = await catalog.newProduct(shop, { stockQuantity: 4 });
      const { product: parent, variantIds } = await catalog.newProductWithVariants(shop, [3]);
      const foreign = await catalog.newProduct(await catalog.addStorefront(9));
      await clearOutbox();
      const result = await catalog.batch.execute(SERVICE, {
        storefrontId: shop,
        reason: 'stocktake',
        userId: 42,
        items: [
          { productId: a.id, quantity: 0 },
          { productId: b.id, quantity: 4 },
          { productId: parent.id, variantId: variantIds[0]!, quantity: 12, reason: 'recount' },
          { productId: foreign.id, quantity: 1 },
          { productId: 0, quantity: 1 },
          { productId: a.id, quantity: -1 },
          { productId: a.id, quantity: 6 },
        ],
      });
      expect([result.successfulCount, result.failedCount]).toEqual([4, 3]);
      expect(result.results).toEqual([
        { productId: a.id, variantId: null, stockBefore: 10, stockAfter: 0, success: true },
        { productId: b.id, variantId: null, stockBefore: 4, stockAfter: 4, success: true },
        { productId: parent.id, variantId: variantIds[0], stockBefore: 3, stockAfter: 12, success: true },
        {
          productId: foreign.id,
          variantId: null,
          stockBefore: 0,
          stockAfter: 0,
          success: false,
          error: `product ${foreign.id} not found`,
        },
        {
          productId: 0,
          variantId: null,
          stockBefore: 0,
          stockAfter: 0,
          success: false,
          error: 'product ID must be greater than 0',
        },
        {
          productId: a.id,
          variantId: null,
          stockBefore: 0,
          stockAfter: 0,
          success: false,
          error: 'quantity cannot be negative',
        },
        { productId: a.id, variantId: null, stockBefore: 0, stockAfter: 6, success: true },
      ]);
      expect((await catalog.movements(a.id)).map((m) => [m.type, m.quantity, m.reason, m.userId])).toEqual([
        ['adjustment', -10, 'stocktake', 42],
        ['adjustment', 6, 'stocktake', 42],
      ]);
      expect(await catalog.movements(b.id)).toEqual([]);
      expect((await catalog.movements(parent.id)).map((m) => [m.variantId, m.quantity, m.reason])).toEqual([
        [variantIds[0], 9, 'recount'],
      ]);
      expect(await stockOf(a.id)).toBe(6);
      await catalog.expectOnePending(a.id, { operation: 'update', version: (await catalog.row(a.id)).version });
      expect(await catalog.pendingOutbox(b.id)).toEqual([]);
      expect(await catalog.pendingOutbox(foreign.id)).toEqual([]);
    });

    it('checks the batch size and the time left', async () => {
      const product = await catalog.newProduct(shop);
      const items = [{ productId: product.id, quantity: 1 }];
      expect(
        (await rejection(catalog.batch.execute(SERVICE, { storefrontId: shop, items: [] }), 'VALIDATION_FAILED'))
          .message,
      ).toBe('items list cannot be empty');
      const many = Array.from({ length: 1001 }, () => items[0]!);
      expect(
        (await rejection(catalog.batch.execute(SERVICE, { storefrontId: shop, items: many }), 'VALIDATION_FAILED'))
          .message,
      ).toBe('cannot update more than 1000 items at once');
      const late = await rejection(
        catalog.batch.execute(SERVICE, { storefrontId: shop, items }, { deadline: Date.now() + 2_000 }),
        'DEADLINE_EXCEEDED',
      );
      expect(late.message).toBe('insufficient time remaining for batch operation');
      expect(await stockOf(product.id)).toBe(10);
      const ok = await catalog.batch.execute(SERVICE, { storefrontId: shop, items }, { deadline: Date.now() + 60_000 });
      expect(ok.successfulCount).toBe(1);
    });
  });
});
