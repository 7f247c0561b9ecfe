import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Catalog, openCatalog, rejection, user } from './fixture.ts';

describe.each(['pglite', 'postgres'] as const)('bulk product operations on %s', (kind) => {
  let catalog: Catalog;
  let shop: number;
  const owner = user(7);
  const stranger = user(8);

  beforeAll(async () => {
    catalog = await openCatalog(kind);
  });
  afterAll(() => catalog?.dispose());
  beforeEach(async () => {
    await catalog.reset();
    shop = await catalog.addStorefront(7);
  });

  describe('BulkCreateProducts', () => {
    it('commits the good items and reports SKU collisions per item, by input index', async () => {
      await catalog.newProduct(shop, { sku: 'TAKEN' });
      const result = await catalog.bulkCreate.execute(owner, {
        storefrontId: shop,
        products: [
          catalog.productInput({ name: 'First', sku: 'A' }),
          catalog.productInput({ name: 'Second', sku: 'TAKEN' }),
          catalog.productInput({ name: 'Third', sku: 'A' }),
          catalog.productInput({ name: 'Fourth' }),
        ],
      });
      expect(result.products.map((product) => product.name)).toEqual(['First', 'Fourth']);
      expect([result.successfulCount, result.failedCount]).toEqual([2, 2]);
      expect(result.errors).toEqual([
        {
          index: 1,
          productId: null,
          errorCode: 'products.sku_duplicate',
          errorMessage: 'SKU TAKEN already exists in storefront',
        },
        {
          index: 2,
          productId: null,
          errorCode: 'products.sku_duplicate',
          errorMessage: 'SKU A already exists in storefront',
        },
      ]);
      expect(await catalog.count('listings', { storefront_id: shop })).toBe(3);
      for (const product of result.products)
        await catalog.expectOnePending(product.id, { operation: 'index', version: 1 });
      expect(await catalog.count('indexing_queue')).toBe(3);
    });

    it('falls back to one savepoint per item when a concurrent writer took a SKU after the check', async () => {
      // Another storefront writer inserts SKU "RACE" between the SKU check and the insert: staged by hiding it
      // from the check, exactly what a concurrent commit in that window looks like to this transaction.
      await catalog.newProduct(shop, { sku: 'RACE' });
      catalog.faults.scope = (tx) => ({
        products: new Proxy(tx.products, {
          get: (target, property, receiver) =>
            property === 'findTakenSkus'
              ? async () => new Set<string>()
              : (Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown).bind(target),
        }),
      });
      const result = await catalog.bulkCreate.execute(owner, {
        storefrontId: shop,
        products: [
          catalog.productInput({ name: 'Before', sku: 'X1' }),
          catalog.productInput({ name: 'Loser', sku: 'RACE' }),
          catalog.productInput({ name: 'After', sku: 'X2' }),
        ],
      });
      expect(result.products.map((product) => product.name)).toEqual(['Before', 'After']);
      expect(result.errors).toEqual([
        {
          index: 1,
          productId: null,
          errorCode: 'products.sku_duplicate',
          errorMessage: 'SKU RACE already exists in storefront',
        },
      ]);
      expect(await catalog.count('listings', { storefront_id: shop })).toBe(3);
    });

    it('fails the whole batch on invalid input, naming each item by index, and writes nothing', async () => {
      const error = await rejection(
        catalog.bulkCreate.execute(owner, {
          storefrontId: shop,
          products: [
            catalog.productInput(),
            catalog.productInput({ name: 'ab' }),
            catalog.productInput({ price: -1, categoryId: 999_999 }),
          ],
        }),
        'VALIDATION_FAILED',
      );
      expect(error.violations.map((violation) => [violation.field, violation.message])).toEqual([
        ['products[1].name', 'name at index 1 must be at least 3 characters'],
        ['products[2].price', 'price at index 2 must be greater than 0'],
      ]);
      const categories = await rejection(
        catalog.bulkCreate.execute(owner, {
          storefrontId: shop,
          products: [catalog.productInput(), catalog.productInput({ categoryId: 999_999 })],
        }),
        'VALIDATION_FAILED',
      );
      expect(categories.violations.map((violation) => [violation.field, violation.message])).toEqual([
        ['products[1].category_id', 'category not found'],
      ]);
      expect(await catalog.count('listings')).toBe(0);
      expect(await catalog.count('indexing_queue')).toBe(0);
    });

    it('checks the batch size and the caller', async () => {
      await rejection(
        catalog.bulkCreate.execute(owner, { storefrontId: shop, products: [] }),
        'VALIDATION_FAILED',
        'products.bulk_empty',
      );
      const tooMany = Array.from({ length: 1001 }, () => catalog.productInput());
      await rejection(
        catalog.bulkCreate.execute(owner, { storefrontId: shop, products: tooMany }),
        'VALIDATION_FAILED',
        'products.bulk_too_large',
      );
      await rejection(
        catalog.bulkCreate.execute(stranger, { storefrontId: shop, products: [catalog.productInput()] }),
        'PERMISSION_DENIED',
      );
      expect(await catalog.count('listings')).toBe(0);
    });

    it('creates 1000 products in one call', async () => {
      const products = Array.from({ length: 1000 }, (_, i) =>
        catalog.productInput({ name: `Item ${i}`, sku: `S${i}` }),
      );
      const result = await catalog.bulkCreate.execute(owner, { storefrontId: shop, products });
      expect(result.successfulCount).toBe(1000);
      expect(await catalog.count('indexing_queue', { status: 'pending' })).toBe(1000);
    });
  });

  describe('BulkUpdateProducts', () => {
    it('accepts mask paths in column names and proto names, and reports per-item failures while committing the rest', async () => {
      const a = await catalog.newProduct(shop, { sku: 'A' });
      const b = await catalog.newProduct(shop, { sku: 'B' });
      const c = await catalog.newProduct(shop, { sku: 'C' });
      const foreign = await catalog.newProduct(await catalog.addStorefront(8));
      const result = await catalog.bulkUpdate.execute(owner, {
        storefrontId: shop,
        updates: [
          { productId: a.id, name: 'Column mask', price: 1, stockQuantity: 4, updateMask: ['title', 'quantity'] },
          { productId: b.id, name: 'Proto mask', isActive: false, updateMask: ['name', 'is_active'] },
          { productId: c.id, sku: 'A' },
          { productId: foreign.id, name: 'Not mine' },
          { productId: 999_999, name: 'Missing' },
          { productId: c.id, name: 'No such field', updateMask: ['price'] },
          { productId: c.id, attributes: 'not an object' },
          {
            productId: c.id,
            stockStatus: 'low_stock',
            description: 'Status path ignored',
            updateMask: ['description', 'stock_status'],
          } as never,
        ],
      });
      expect(
        result.products.map((product) => [
          product.id,
          product.name,
          product.price,
          product.stockQuantity,
          product.status,
        ]),
      ).toEqual([
        [a.id, 'Column mask', 4999, 4, 'active'],
        [b.id, 'Proto mask', 4999, 10, 'inactive'],
        [c.id, 'Trail shoes', 4999, 10, 'active'],
      ]);
      expect((await catalog.row(c.id)).description).toBe('Status path ignored');
      expect(result.errors.map((error) => [error.index, error.productId, error.errorCode])).toEqual([
        [2, c.id, 'products.sku_duplicate'],
        [3, foreign.id, 'products.not_found'],
        [4, 999_999, 'products.not_found'],
        [5, c.id, 'products.no_fields_to_update'],
        [6, c.id, 'products.invalid_attributes'],
      ]);
      expect([result.successfulCount, result.failedCount]).toEqual([3, 5]);
      expect((await catalog.row(c.id)).sku).toBe('C');
      expect((await catalog.row(foreign.id)).title).toBe('Trail shoes');
      for (const product of [a, b, c]) await catalog.expectOnePending(product.id, { operation: 'update' });
      expect(await catalog.movements(a.id)).toMatchObject([{ type: 'adjustment', quantity: -6 }]);
    });

    it('answers an empty batch with an empty reply and refuses more than 1000', async () => {
      expect(await catalog.bulkUpdate.execute(owner, { storefrontId: shop, updates: [] })).toEqual({
        products: [],
        successfulCount: 0,
        failedCount: 0,
        errors: [],
      });
      const tooMany = Array.from({ length: 1001 }, () => ({ productId: 1, name: 'x y z' }));
      await rejection(
        catalog.bulkUpdate.execute(owner, { storefrontId: shop, updates: tooMany }),
        'VALIDATION_FAILED',
        'products.bulk_update_limit_exceeded',
      );
      await rejection(catalog.bulkUpdate.execute(stranger, { storefrontId: shop, updates: [] }), 'PERMISSION_DENIED');
    });
  });

  describe('BulkDeleteProducts', () => {
    it('de-duplicates ids, deletes the storefront’s products and reports the others', async () => {
      const a = await catalog.newProduct(shop);
      const b = await catalog.newProduct(shop);
      const foreign = await catalog.newProduct(await catalog.addStorefront(8));
      const result = await catalog.bulkDelete.execute(owner, {
        storefrontId: shop,
        productIds: [a.id, b.id, a.id, foreign.id, 999_999],
      });
      expect([result.successfulCount, result.failedCount, result.variantsDeleted]).toEqual([2, 2, 0]);
      expect(result.errors.map((error) => [error.index, error.productId, error.errorCode])).toEqual([
        [3, foreign.id, 'products.not_found'],
        [4, 999_999, 'products.not_found'],
      ]);
      for (const product of [a, b]) {
        const row = await catalog.row(product.id);
        expect([row.isDeleted, row.deletedAt !== null]).toEqual([true, true]);
        await catalog.expectOnePending(product.id, { operation: 'delete', version: row.version });
      }
      expect((await catalog.row(foreign.id)).isDeleted).toBe(false);
    });

    it('hard deletes with the variants counted', async () => {
      const { product } = await catalog.newProductWithVariants(shop, [1, 1, 1]);
      const result = await catalog.bulkDelete.execute(owner, {
        storefrontId: shop,
        productIds: [product.id],
        hardDelete: true,
      });
      expect([result.successfulCount, result.variantsDeleted]).toEqual([1, 3]);
      expect(await catalog.count('listings', { id: product.id })).toBe(0);
    });

    it('refuses to start with less than 5 s left, or once cancelled, and checks its limits', async () => {
      const product = await catalog.newProduct(shop);
      const late = await rejection(
        catalog.bulkDelete.execute(
          owner,
          { storefrontId: shop, productIds: [product.id] },
          { deadline: Date.now() + 4_000 },
        ),
        'DEADLINE_EXCEEDED',
      );
      expect(late.message).toBe('insufficient time remaining for bulk delete operation');
      const controller = new AbortController();
      controller.abort();
      await rejection(
        catalog.bulkDelete.execute(
          owner,
          { storefrontId: shop, productIds: [product.id] },
          { signal: controller.signal },
        ),
        'DEADLINE_EXCEEDED',
      );
      await rejection(
        catalog.bulkDelete.execute(owner, { storefrontId: shop, productIds: [] }),
        'VALIDATION_FAILED',
        'products.bulk_empty',
      );
      const tooMany = await rejection(
        catalog.bulkDelete.execute(owner, {
          storefrontId: shop,
          productIds: Array.from({ length: 1001 }, (_, i) => i + 1),
        }),
        'VALIDATION_FAILED',
      );
      expect(tooMany.message).toBe('cannot delete more than 1000 products at once');
      expect((await catalog.row(product.id)).isDeleted).toBe(false);
      const ok = await catalog.bulkDelete.execute(
        owner,
        { storefrontId: shop, productIds: [product.id] },
        { deadline: Date.now() + 30_000 },
      );
      expect(ok.successfulCount).toBe(1);
    });

    it('stops between chunks of 100 when the caller gives up, rolling everything back', async () => {
      const products = Array.from({ length: 150 }, (_, i) => catalog.productInput({ name: `Item ${i}` }));
      const created = await catalog.bulkCreate.execute(owner, { storefrontId: shop, products });
      const controller = new AbortController();
      const ids = created.products.map((product) => product.id);
      // Abort while the first chunk is being deleted: the check before the second chunk sees it.
      const running = catalog.bulkDelete.execute(
        owner,
        { storefrontId: shop, productIds: ids },
        { signal: controller.signal },
      );
      queueMicrotask(() => controller.abort());
      const error = await rejection(running, 'DEADLINE_EXCEEDED');
      expect(error.message).toBe('operation cancelled during validation');
      expect(await catalog.count('listings', { is_deleted: true })).toBe(0);
    });
  });
});
