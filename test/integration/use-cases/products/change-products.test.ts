import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Catalog, openCatalog, rejection, SERVICE, user } from './fixture.ts';

describe.each(['pglite', 'postgres'] as const)('changing products on %s', (kind) => {
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

  describe('UpdateProduct', () => {
    it('honours every field, sku, barcode, currency and category included', async () => {
      const product = await catalog.newProduct(shop, { sku: 'OLD' });
      const updated = await catalog.updateProduct.execute(owner, {
        productId: product.id,
        storefrontId: shop,
        name: 'Road shoes',
        description: '',
        price: '59.90',
        currency: 'EUR',
        categoryId: catalog.categories.furniture,
        sku: 'NEW',
        barcode: '123',
        attributes: { colour: 'blue' },
        hasIndividualLocation: true,
        individualAddress: 'Knez Mihailova 1',
        individualLatitude: 44.8176,
        individualLongitude: 20.4569,
        locationPrivacy: 'hidden',
        showOnMap: false,
      });
      expect(updated).toMatchObject({
        name: 'Road shoes',
        description: '',
        price: 5990,
        currency: 'EUR',
        categoryId: catalog.categories.furniture,
        sku: 'NEW',
        barcode: '123',
        attributes: { colour: 'blue' },
        hasIndividualLocation: true,
        individualAddress: 'Knez Mihailova 1',
        individualLatitude: 44.8176,
        individualLongitude: 20.4569,
        locationPrivacy: 'hidden',
        showOnMap: false,
        version: 2,
      });
      await catalog.expectOnePending(product.id, { operation: 'update', version: 2 });
      expect(catalog.metrics.events).toContain('listingWritten:updated');
    });

    it('applies only what the mask names, in proto or column names', async () => {
      const product = await catalog.newProduct(shop);
      const masked = await catalog.updateProduct.execute(owner, {
        productId: product.id,
        storefrontId: shop,
        name: 'Masked name',
        price: 1,
        updateMask: ['title'],
      });
      expect([masked.name, masked.price]).toEqual(['Masked name', 4999]);
      const camel = await catalog.updateProduct.execute(owner, {
        productId: product.id,
        storefrontId: shop,
        stockQuantity: 2,
        name: 'Ignored',
        updateMask: ['stockQuantity'],
      });
      expect([camel.name, camel.stockQuantity, camel.stockStatus]).toEqual(['Masked name', 2, 'low_stock']);
      const noFields = await rejection(
        catalog.updateProduct.execute(owner, {
          productId: product.id,
          storefrontId: shop,
          name: 'x y z',
          updateMask: ['price'],
        }),
        'VALIDATION_FAILED',
        'products.no_fields_to_update',
      );
      expect(noFields.message).toBe('at least one field must be provided for update');
      await rejection(
        catalog.updateProduct.execute(owner, {
          productId: product.id,
          storefrontId: shop,
          name: 'abc',
          updateMask: ['colour'],
        }),
        'VALIDATION_FAILED',
      );
    });

    it('writes a stock change as an adjustment movement', async () => {
      const product = await catalog.newProduct(shop, { stockQuantity: 10 });
      await catalog.updateProduct.execute(owner, { productId: product.id, storefrontId: shop, stockQuantity: 0 });
      expect(await catalog.movements(product.id)).toEqual([
        { variantId: null, type: 'adjustment', quantity: -10, orderId: null, reason: 'product_update', userId: 7 },
      ]);
      expect((await catalog.row(product.id)).stockStatus).toBe('out_of_stock');
    });

    it('maps is_active onto the lifecycle: publishes a draft, pauses an active product, keeps a draft a draft', async () => {
      const draft = await catalog.newProduct(shop, { isActive: false });
      const still = await catalog.updateProduct.execute(owner, {
        productId: draft.id,
        storefrontId: shop,
        isActive: false,
      });
      expect(still.status).toBe('draft');
      expect(await catalog.pendingOutbox(draft.id)).toHaveLength(1); // the create's entry only
      const live = await catalog.updateProduct.execute(owner, {
        productId: draft.id,
        storefrontId: shop,
        isActive: true,
      });
      expect([live.status, live.isActive]).toEqual(['active', true]);
      const paused = await catalog.updateProduct.execute(owner, {
        productId: draft.id,
        storefrontId: shop,
        isActive: false,
      });
      expect(paused.status).toBe('inactive');
    });

    it('refuses strangers, other storefronts’ products, taken SKUs and empty updates, writing nothing', async () => {
      const product = await catalog.newProduct(shop, { sku: 'MINE' });
      await catalog.newProduct(shop, { sku: 'TAKEN' });
      const theirs = await catalog.addStorefront(8);
      const foreign = await catalog.newProduct(theirs);
      await rejection(
        catalog.updateProduct.execute(stranger, { productId: product.id, storefrontId: shop, name: 'Hacked' }),
        'PERMISSION_DENIED',
      );
      await rejection(
        catalog.updateProduct.execute(owner, { productId: foreign.id, storefrontId: shop, name: 'Hacked' }),
        'PRODUCT_NOT_FOUND',
        'products.not_found',
      );
      await rejection(
        catalog.updateProduct.execute(owner, { productId: product.id, storefrontId: shop, sku: 'TAKEN' }),
        'ALREADY_EXISTS',
        'products.sku_duplicate',
      );
      await rejection(
        catalog.updateProduct.execute(owner, { productId: product.id, storefrontId: shop }),
        'VALIDATION_FAILED',
        'products.no_fields_to_update',
      );
      await rejection(
        catalog.updateProduct.execute(owner, { productId: product.id, storefrontId: shop, categoryId: 999_999 }),
        'VALIDATION_FAILED',
      );
      await rejection(
        catalog.updateProduct.execute(owner, { productId: product.id, storefrontId: shop, attributes: [1] }),
        'VALIDATION_FAILED',
        'products.invalid_attributes',
      );
      expect((await catalog.row(product.id)).version).toBe(1);
      expect((await catalog.row(foreign.id)).title).toBe('Trail shoes');
    });

    it('coalesces a burst of writes into one pending entry at the last version, and drops the cached listing', async () => {
      const product = await catalog.newProduct(shop);
      let loads = 0;
      const load = async () => {
        loads++;
        return null;
      };
      await catalog.listingCache.read(product.id, load);
      await catalog.listingCache.read(product.id, load);
      expect(loads).toBe(1);
      for (const price of [10, 11, 12]) {
        await catalog.updateProduct.execute(owner, { productId: product.id, storefrontId: shop, price });
      }
      await catalog.expectOnePending(product.id, { version: 4 });
      await catalog.listingCache.read(product.id, load);
      expect(loads).toBe(2);
    });
  });

  describe('DeleteProduct', () => {
    it('soft deletes by setting is_deleted and deleted_at, and enqueues the delete', async () => {
      const product = await catalog.newProduct(shop);
      const result = await catalog.deleteProduct.execute(owner, { productId: product.id, storefrontId: shop });
      expect(result).toEqual({ success: true, message: 'Product soft deleted successfully', variantsDeleted: 0 });
      const row = await catalog.row(product.id);
      expect(row.isDeleted).toBe(true);
      expect(row.deletedAt).not.toBeNull();
      await catalog.expectOnePending(product.id, { operation: 'delete', version: row.version });
      await rejection(
        catalog.deleteProduct.execute(owner, { productId: product.id, storefrontId: shop }),
        'PRODUCT_NOT_FOUND',
        'products.not_found',
      );
    });

    it('hard deletes the row and its variants; the outbox entry outlives it', async () => {
      const { product } = await catalog.newProductWithVariants(shop, [1, 2]);
      const result = await catalog.deleteProduct.execute(owner, {
        productId: product.id,
        storefrontId: shop,
        hardDelete: true,
      });
      expect(result).toEqual({ success: true, message: 'Product hard deleted successfully', variantsDeleted: 2 });
      expect(await catalog.count('listings', { id: product.id })).toBe(0);
      expect(await catalog.count('b2c_product_variants', { product_id: product.id })).toBe(0);
      await catalog.expectOnePending(product.id, { operation: 'delete' });
    });

    it('refuses strangers and products of other storefronts', async () => {
      const product = await catalog.newProduct(shop);
      await rejection(
        catalog.deleteProduct.execute(stranger, { productId: product.id, storefrontId: shop }),
        'PERMISSION_DENIED',
      );
      const own = await catalog.addStorefront(8);
      await rejection(
        catalog.deleteProduct.execute(stranger, { productId: product.id, storefrontId: own }),
        'PRODUCT_NOT_FOUND',
      );
      expect((await catalog.row(product.id)).isDeleted).toBe(false);
    });
  });

  describe('GetProductStats and IncrementProductViews', () => {
    it('adds up exact totals over the storefront’s live products', async () => {
      await catalog.newProduct(shop, { price: 0.1, stockQuantity: 3 });
      await catalog.newProduct(shop, { price: 1234567.89, stockQuantity: 7, isActive: false });
      await catalog.newProduct(shop, { price: 5, stockQuantity: 0 });
      const deleted = await catalog.newProduct(shop, { price: 1000, stockQuantity: 1000 });
      await catalog.deleteProduct.execute(owner, { productId: deleted.id, storefrontId: shop });
      const sold = await catalog.newProduct(shop, { price: 2.5, stockQuantity: 20 });
      await catalog.decrement.execute(SERVICE, { items: [{ productId: sold.id, quantity: 4 }] });
      const other = await catalog.addStorefront(7);
      await catalog.newProduct(other, { price: 99, stockQuantity: 99 });

      const stats = await catalog.stats.execute(owner, { storefrontId: shop });
      expect(stats).toEqual({
        totalProducts: 4,
        activeProducts: 3,
        outOfStock: 1,
        lowStock: 1,
        // 0.10×3 + 1234567.89×7 + 5×0 + 2.50×16 = 0.30 + 8641975.23 + 40.00
        totalValue: 864201553n,
        totalSold: 4,
      });
      expect(await catalog.stats.execute(SERVICE, { storefrontId: 999_999 })).toMatchObject({
        totalProducts: 0,
        totalValue: 0n,
      });
      expect((await catalog.stats.execute(stranger, { storefrontId: 999_999 })).totalProducts).toBe(0);
      await rejection(catalog.stats.execute(stranger, { storefrontId: shop }), 'PERMISSION_DENIED');
      await rejection(catalog.stats.execute(undefined, { storefrontId: shop }), 'UNAUTHENTICATED');
    });

    it('counts views without raising the version, enqueues the product, and drops its cached listing', async () => {
      const product = await catalog.newProduct(shop);
      await catalog.knex('indexing_queue').delete();
      let loads = 0;
      const load = async () => {
        loads++;
        return null;
      };
      await catalog.listingCache.read(product.id, load);
      expect(await catalog.views.execute(undefined, { productId: product.id })).toEqual({ viewCount: 1 });
      expect(await catalog.views.execute(undefined, { productId: product.id })).toEqual({ viewCount: 2 });
      const row = await catalog.row(product.id);
      expect([row.viewCount, row.version]).toEqual([2, 1]);
      await catalog.expectOnePending(product.id, { operation: 'update', version: 1 });
      await catalog.listingCache.read(product.id, load);
      expect(loads).toBe(2);
      const missing = await rejection(
        catalog.views.execute(undefined, { productId: 999_999 }),
        'PRODUCT_NOT_FOUND',
        'products.not_found',
      );
      expect(missing).toBeDefined();
      expect(catalog.metrics.events.filter((event) => event === 'productViewed')).toHaveLength(2);
    });
  });
});
