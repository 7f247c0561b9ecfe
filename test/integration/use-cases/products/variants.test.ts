import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Product } from '../../../../src/domain/product.ts';
import { type Catalog, openCatalog, rejection, SERVICE, user } from './fixture.ts';

describe.each(['pglite', 'postgres'] as const)('product variants on %s', (kind) => {
  let catalog: Catalog;
  let shop: number;
  let product: Product;
  const owner = user(7);
  const stranger = user(8);

  beforeAll(async () => {
    catalog = await openCatalog(kind);
  });
  afterAll(() => catalog?.dispose());
  beforeEach(async () => {
    await catalog.reset();
    shop = await catalog.addStorefront(7);
    product = await catalog.newProduct(shop, { hasVariants: true });
    await catalog.knex('indexing_queue').delete();
  });

  const defaults = async () =>
    (await catalog.variants.byProduct(undefined, { productId: product.id }))
      .filter((v) => v.isDefault)
      .map((v) => v.id);

  describe('CreateProductVariant', () => {
    it('makes the first variant the default and sets stock_status from stock and threshold', async () => {
      const first = await catalog.createVariant.execute(owner, { productId: product.id, sku: 'S', stockQuantity: 0 });
      expect(first).toMatchObject({
        productId: product.id,
        isDefault: true,
        isActive: true,
        stockStatus: 'out_of_stock',
      });
      const low = await catalog.createVariant.execute(owner, { productId: product.id, sku: 'M', stockQuantity: 3 });
      expect([low.isDefault, low.stockStatus, low.lowStockThreshold]).toEqual([false, 'low_stock', 5]);
      const high = await catalog.createVariant.execute(owner, {
        productId: product.id,
        sku: 'L',
        stockQuantity: 3,
        lowStockThreshold: 2,
        price: 59.5,
        variantAttributes: { size: 'L' },
      });
      expect([high.stockStatus, high.price, high.variantAttributes]).toEqual(['in_stock', 5950, { size: 'L' }]);
      await catalog.expectOnePending(product.id, { operation: 'update' });
    });

    it('gives the default to a new variant that asks for it', async () => {
      const first = await catalog.createVariant.execute(owner, { productId: product.id, sku: 'A', stockQuantity: 1 });
      const second = await catalog.createVariant.execute(owner, {
        productId: product.id,
        sku: 'B',
        stockQuantity: 1,
        isDefault: true,
      });
      expect(second.isDefault).toBe(true);
      expect(await defaults()).toEqual([second.id]);
      expect((await catalog.variants.byId(undefined, { variantId: first.id })).isDefault).toBe(false);
    });

    it('enforces the parent rules, SKUs per product and the caller', async () => {
      const plain = await catalog.newProduct(shop);
      await rejection(
        catalog.createVariant.execute(owner, { productId: plain.id, stockQuantity: 1 }),
        'INVALID_STATE',
        'variants.product_no_variants',
      );
      await rejection(
        catalog.createVariant.execute(owner, { productId: 999_999, stockQuantity: 1 }),
        'PRODUCT_NOT_FOUND',
        'variants.product_not_found',
      );
      await rejection(
        catalog.createVariant.execute(owner, { productId: 0, stockQuantity: 1 }),
        'VALIDATION_FAILED',
        'variants.invalid_product_id',
      );
      await rejection(
        catalog.createVariant.execute(owner, { productId: product.id, stockQuantity: -1 }),
        'VALIDATION_FAILED',
        'variants.invalid_stock_quantity',
      );
      await rejection(
        catalog.createVariant.execute(stranger, { productId: product.id, stockQuantity: 1 }),
        'PERMISSION_DENIED',
      );
      await rejection(
        catalog.createVariant.execute(undefined, { productId: product.id, stockQuantity: 1 }),
        'UNAUTHENTICATED',
      );
      await catalog.createVariant.execute(SERVICE, { productId: product.id, sku: 'X', stockQuantity: 1 });
      await rejection(
        catalog.createVariant.execute(owner, { productId: product.id, sku: 'X', stockQuantity: 1 }),
        'ALREADY_EXISTS',
        'variants.sku_duplicate',
      );
      expect(await catalog.count('b2c_product_variants')).toBe(1);
    });
  });

  describe('BulkCreateProductVariants', () => {
    it('creates all in input order with the requested default', async () => {
      const result = await catalog.bulkCreateVariants.execute(owner, {
        productId: product.id,
        variants: [
          { sku: 'S', stockQuantity: 1 },
          { sku: 'M', stockQuantity: 2, isDefault: true },
          { sku: 'L', stockQuantity: 30 },
        ],
      });
      expect(result.variants.map((v) => [v.sku, v.isDefault, v.stockStatus])).toEqual([
        ['S', false, 'low_stock'],
        ['M', true, 'low_stock'],
        ['L', false, 'in_stock'],
      ]);
      expect([result.successfulCount, result.failedCount, result.errors]).toEqual([3, 0, []]);
    });

    it('is all or nothing: input problems by index, two defaults, a repeated SKU', async () => {
      const invalid = await rejection(
        catalog.bulkCreateVariants.execute(owner, {
          productId: product.id,
          variants: [{ stockQuantity: 1 }, { stockQuantity: -2 }],
        }),
        'VALIDATION_FAILED',
        'variants.invalid_stock_quantity',
      );
      expect(invalid.violations.map((v) => v.message)).toEqual(['stock_quantity at index 1 cannot be negative']);
      await rejection(
        catalog.bulkCreateVariants.execute(owner, {
          productId: product.id,
          variants: [
            { stockQuantity: 1, isDefault: true },
            { stockQuantity: 1, isDefault: true },
          ],
        }),
        'VALIDATION_FAILED',
        'variants.multiple_defaults',
      );
      await rejection(
        catalog.bulkCreateVariants.execute(owner, {
          productId: product.id,
          variants: [
            { sku: 'SAME', stockQuantity: 1 },
            { sku: 'SAME', stockQuantity: 1 },
          ],
        }),
        'ALREADY_EXISTS',
        'variants.sku_duplicate',
      );
      await rejection(
        catalog.bulkCreateVariants.execute(owner, { productId: product.id, variants: [] }),
        'VALIDATION_FAILED',
        'variants.bulk_empty',
      );
      expect(await catalog.count('b2c_product_variants')).toBe(0);
    });
  });

  describe('reads', () => {
    it('finds a variant by id, restricted to its product when asked; lists default first', async () => {
      const { variantIds } = await catalog.newProductWithVariants(shop, [1, 2]);
      const [first, second] = variantIds as [number, number];
      expect((await catalog.variants.byId(undefined, { variantId: second })).id).toBe(second);
      const missing = await rejection(
        catalog.variants.byId(undefined, { variantId: second, productId: product.id }),
        'VARIANT_NOT_FOUND',
        'variants.not_found',
      );
      expect(missing.message).toBe(`variant not found: ${second}`);
      await rejection(
        catalog.variants.byId(undefined, { variantId: 0 }),
        'VALIDATION_FAILED',
        'variants.invalid_variant_id',
      );
      const parent = (await catalog.knex('b2c_product_variants').where({ id: first }).first()).product_id;
      const list = await catalog.variants.byProduct(undefined, { productId: Number(parent) });
      expect(list.map((v) => v.id)).toEqual([first, second]);
      expect(await catalog.variants.byProduct(undefined, { productId: 999_999 })).toEqual([]);
    });
  });

  describe('UpdateProductVariant', () => {
    it('refuses to deactivate the last active variant, and moves the default when it is unset', async () => {
      const a = await catalog.createVariant.execute(owner, { productId: product.id, sku: 'A', stockQuantity: 1 });
      const last = await rejection(
        catalog.updateVariant.execute(owner, { variantId: a.id, productId: product.id, isActive: false }),
        'INVALID_STATE',
        'variants.last_variant',
      );
      expect(last.message).toBe(`cannot deactivate the last active variant of product ${product.id}`);
      const b = await catalog.createVariant.execute(owner, { productId: product.id, sku: 'B', stockQuantity: 1 });
      const off = await catalog.updateVariant.execute(owner, {
        variantId: a.id,
        productId: product.id,
        isActive: false,
      });
      expect(off.isActive).toBe(false);
      await rejection(
        catalog.updateVariant.execute(owner, { variantId: b.id, productId: product.id, isActive: false }),
        'INVALID_STATE',
        'variants.last_variant',
      );
      await catalog.updateVariant.execute(owner, { variantId: a.id, productId: product.id, isDefault: false });
      expect(await defaults()).toEqual([b.id]);
      await catalog.updateVariant.execute(owner, { variantId: a.id, productId: product.id, isDefault: true });
      expect(await defaults()).toEqual([a.id]);
    });

    it('writes a stock change as an adjustment movement and recomputes stock_status', async () => {
      const a = await catalog.createVariant.execute(owner, { productId: product.id, sku: 'A', stockQuantity: 10 });
      const updated = await catalog.updateVariant.execute(owner, {
        variantId: a.id,
        productId: product.id,
        stockQuantity: 2,
        price: 12,
      });
      expect([updated.stockQuantity, updated.stockStatus, updated.price]).toEqual([2, 'low_stock', 1200]);
      expect(await catalog.movements(product.id)).toEqual([
        { variantId: a.id, type: 'adjustment', quantity: -8, orderId: null, reason: 'variant_update', userId: 7 },
      ]);
      const threshold = await catalog.updateVariant.execute(owner, {
        variantId: a.id,
        productId: product.id,
        lowStockThreshold: 1,
      });
      expect(threshold.stockStatus).toBe('in_stock');
    });

    it('honours the mask and refuses what it cannot apply', async () => {
      const a = await catalog.createVariant.execute(owner, { productId: product.id, sku: 'A', stockQuantity: 1 });
      const masked = await catalog.updateVariant.execute(owner, {
        variantId: a.id,
        productId: product.id,
        sku: 'Z',
        weight: 250,
        updateMask: ['weight'],
      });
      expect([masked.sku, masked.weight]).toEqual(['A', 250]);
      await rejection(
        catalog.updateVariant.execute(owner, { variantId: a.id, productId: product.id }),
        'VALIDATION_FAILED',
      );
      await rejection(
        catalog.updateVariant.execute(owner, { variantId: 999_999, productId: product.id, sku: 'Q' }),
        'VARIANT_NOT_FOUND',
        'variants.not_found',
      );
      await rejection(
        catalog.updateVariant.execute(stranger, { variantId: a.id, productId: product.id, sku: 'Q' }),
        'PERMISSION_DENIED',
      );
    });
  });

  describe('DeleteProductVariant', () => {
    it('promotes the lowest remaining id when the default goes, and clears has_variants with the last one', async () => {
      const a = await catalog.createVariant.execute(owner, { productId: product.id, sku: 'A', stockQuantity: 1 });
      const b = await catalog.createVariant.execute(owner, { productId: product.id, sku: 'B', stockQuantity: 1 });
      const c = await catalog.createVariant.execute(owner, { productId: product.id, sku: 'C', stockQuantity: 1 });
      expect(await defaults()).toEqual([a.id]);
      expect(await catalog.deleteVariant.execute(owner, { variantId: a.id, productId: product.id })).toEqual({
        success: true,
        message: 'Variant deleted successfully',
      });
      expect(await defaults()).toEqual([b.id]);
      await catalog.deleteVariant.execute(owner, { variantId: c.id, productId: product.id });
      expect(await defaults()).toEqual([b.id]);
      await catalog.knex('indexing_queue').delete();
      await catalog.deleteVariant.execute(owner, { variantId: b.id, productId: product.id });
      const row = await catalog.row(product.id);
      expect(row.hasVariants).toBe(false);
      await catalog.expectOnePending(product.id, { operation: 'update', version: row.version });
      await rejection(
        catalog.createVariant.execute(owner, { productId: product.id, stockQuantity: 1 }),
        'INVALID_STATE',
        'variants.product_no_variants',
      );
    });

    it('refuses a variant of another product and strangers', async () => {
      const other = await catalog.newProductWithVariants(shop, [1]);
      await catalog.createVariant.execute(owner, { productId: product.id, sku: 'A', stockQuantity: 1 });
      await rejection(
        catalog.deleteVariant.execute(owner, { variantId: other.variantIds[0]!, productId: product.id }),
        'VARIANT_NOT_FOUND',
      );
      await rejection(
        catalog.deleteVariant.execute(stranger, { variantId: other.variantIds[0]!, productId: other.product.id }),
        'PERMISSION_DENIED',
      );
      expect(await catalog.count('b2c_product_variants')).toBe(2);
    });
  });
});
