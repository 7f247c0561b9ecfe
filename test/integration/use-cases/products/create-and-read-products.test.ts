import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, type Catalog, openCatalog, rejection, SERVICE, user } from './fixture.ts';

describe.each(['pglite', 'postgres'] as const)('creating and reading products on %s', (kind) => {
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

  describe('CreateProduct', () => {
    it('creates the product for the storefront owner, honouring every field, with one index outbox entry', async () => {
      const { product, replayed } = await catalog.createProduct.execute(owner, {
        storefrontId: shop,
        ...catalog.productInput({ sku: 'SHOE-1', barcode: '4006381333931', hasVariants: true, showOnMap: false }),
        attributes: { colour: 'red', size: 42 },
        locationPrivacy: 'approximate',
      });
      expect(replayed).toBe(false);
      expect(product).toMatchObject({
        storefrontId: shop,
        userId: 7,
        name: 'Trail shoes',
        price: 4999,
        currency: 'RSD',
        sku: 'SHOE-1',
        barcode: '4006381333931',
        stockQuantity: 10,
        stockStatus: 'in_stock',
        isActive: true,
        status: 'active',
        hasVariants: true,
        showOnMap: false,
        locationPrivacy: 'approximate',
        attributes: { colour: 'red', size: 42 },
        version: 1,
      });
      const row = await catalog.row(product.id);
      expect(row.sourceType).toBe('b2c');
      expect(row.publishedAt).not.toBeNull();
      await catalog.expectOnePending(product.id, { operation: 'index', version: 1 });
      expect(catalog.metrics.events).toContain('listingWritten:created');
    });

    it('creates an inactive product as a draft, and low stock as low_stock', async () => {
      const product = await catalog.newProduct(shop, { isActive: false, stockQuantity: 3 });
      expect([product.status, product.isActive, product.stockStatus]).toEqual(['draft', false, 'low_stock']);
      expect((await catalog.newProduct(shop, { stockQuantity: 0 })).stockStatus).toBe('out_of_stock');
    });

    it.each([
      [{ name: 'ab' }, 'name', 'name must be at least 3 characters'],
      [{ name: '  ' }, 'name', 'product name cannot be empty'],
      [{ price: 0 }, 'price', 'price must be greater than 0'],
      [{ price: 1.001 }, 'price', 'price must have at most 2 decimal places'],
      [{ currency: 'XX' }, 'currency', 'currency must be 3 characters (ISO 4217)'],
      [{ stockQuantity: -1 }, 'stock_quantity', 'stock_quantity cannot be negative'],
      [{ description: 'x'.repeat(5001) }, 'description', 'description must not exceed 5000 characters'],
      [{ categoryId: 999_999 }, 'category_id', 'category not found'],
      [{ categoryId: 0 }, 'category_id', 'category ID must be greater than 0'],
      [{ locationPrivacy: 'public' }, 'location_privacy', undefined],
    ] as const)('refuses %j with VALIDATION_FAILED and writes nothing', async (overrides, field, message) => {
      const error = await rejection(
        catalog.createProduct.execute(owner, { storefrontId: shop, ...catalog.productInput(overrides) }),
        'VALIDATION_FAILED',
      );
      expect(error.violations.map((violation) => violation.field)).toEqual([field]);
      if (message !== undefined) expect(error.violations[0]!.message).toBe(message);
      expect(await catalog.count('listings')).toBe(0);
      expect(await catalog.count('indexing_queue')).toBe(0);
    });

    it('lets only the storefront owner, an admin or a service create', async () => {
      await rejection(
        catalog.createProduct.execute(undefined, { storefrontId: shop, ...catalog.productInput() }),
        'UNAUTHENTICATED',
      );
      const denied = await rejection(
        catalog.createProduct.execute(stranger, { storefrontId: shop, ...catalog.productInput() }),
        'PERMISSION_DENIED',
      );
      expect(denied.message).toBe(`unauthorized: user does not own storefront ${shop}`);
      await rejection(
        catalog.createProduct.execute(owner, { storefrontId: 999_999, ...catalog.productInput() }),
        'STOREFRONT_NOT_FOUND',
      );
      await rejection(
        catalog.createProduct.execute(owner, { storefrontId: 0, ...catalog.productInput() }),
        'VALIDATION_FAILED',
      );
      expect(await catalog.count('listings')).toBe(0);
      // Trusted callers act for the owner: the row still belongs to the storefront's user.
      for (const caller of [ADMIN, SERVICE]) {
        const { product } = await catalog.createProduct.execute(caller, {
          storefrontId: shop,
          ...catalog.productInput(),
        });
        expect(product.userId).toBe(7);
      }
    });

    it('replays a retried create with the same idempotency key, and refuses the key with another request', async () => {
      const key = { scope: 'products.create', principal: 'user:7', key: 'create-1' };
      const first = await catalog.createProduct.execute(
        owner,
        { storefrontId: shop, ...catalog.productInput() },
        { idempotency: { key, requestHash: 'a' } },
      );
      const again = await catalog.createProduct.execute(
        owner,
        { storefrontId: shop, ...catalog.productInput() },
        { idempotency: { key, requestHash: 'a' } },
      );
      expect(again.replayed).toBe(true);
      expect(again.product.id).toBe(first.product.id);
      expect(await catalog.count('listings')).toBe(1);
      await rejection(
        catalog.createProduct.execute(
          owner,
          { storefrontId: shop, ...catalog.productInput({ name: 'Other' }) },
          { idempotency: { key, requestHash: 'b' } },
        ),
        'IDEMPOTENCY_KEY_REUSED',
      );
    });

    it('rejects a SKU already used by a live product of the storefront', async () => {
      await catalog.newProduct(shop, { sku: 'DUP' });
      await rejection(catalog.newProduct(shop, { sku: 'DUP' }), 'ALREADY_EXISTS', 'products.sku_duplicate');
      const other = await catalog.addStorefront(9);
      expect((await catalog.newProduct(other, { sku: 'DUP' })).sku).toBe('DUP');
    });
  });

  describe('reads', () => {
    it('GetProduct finds a live product of any status, filtered by storefront when asked', async () => {
      const draft = await catalog.newProduct(shop, { isActive: false });
      expect((await catalog.getProduct.execute(undefined, { productId: draft.id })).id).toBe(draft.id);
      expect((await catalog.getProduct.execute(undefined, { productId: draft.id, storefrontId: shop })).id).toBe(
        draft.id,
      );
      const other = await catalog.addStorefront(9);
      const missing = await rejection(
        catalog.getProduct.execute(undefined, { productId: draft.id, storefrontId: other }),
        'PRODUCT_NOT_FOUND',
        'products.not_found',
      );
      expect(missing.message).toBe('product not found');
      await rejection(catalog.getProduct.execute(undefined, { productId: 999_999 }), 'PRODUCT_NOT_FOUND');
      await rejection(catalog.getProduct.execute(undefined, { productId: 0 }), 'VALIDATION_FAILED');
    });

    it('GetProduct does not find c2c listings or deleted products', async () => {
      const [c2c] = await catalog
        .knex('listings')
        .insert({ user_id: 7, title: 'Old bike', price: '10.00', category_id: catalog.categories.bicycles })
        .returning('id');
      await rejection(catalog.getProduct.execute(undefined, { productId: Number(c2c.id) }), 'PRODUCT_NOT_FOUND');
      const product = await catalog.newProduct(shop);
      await catalog.deleteProduct.execute(owner, { productId: product.id, storefrontId: shop });
      await rejection(catalog.getProduct.execute(undefined, { productId: product.id }), 'PRODUCT_NOT_FOUND');
    });

    it('GetProductsBySKUs and GetProductsByIDs return active products, omitting unknown keys', async () => {
      const a = await catalog.newProduct(shop, { sku: 'A' });
      const b = await catalog.newProduct(shop, { sku: 'B' });
      await catalog.newProduct(shop, { sku: 'C', isActive: false });
      const bySku = await catalog.findProducts.bySkus(undefined, { skus: ['B', 'A', 'C', 'nope', 'A'] });
      expect(bySku.products.map((product) => product.id)).toEqual([a.id, b.id]);
      expect(bySku.totalCount).toBe(2);
      const byId = await catalog.findProducts.byIds(undefined, { productIds: [b.id, 999_999, a.id] });
      expect(byId.products.map((product) => product.id)).toEqual([a.id, b.id]);
      const other = await catalog.addStorefront(9);
      expect(
        (await catalog.findProducts.byIds(undefined, { productIds: [a.id], storefrontId: other })).products,
      ).toEqual([]);
    });

    it('GetProductsBySKUs and GetProductsByIDs check their limits', async () => {
      expect((await rejection(catalog.findProducts.bySkus(undefined, { skus: [] }), 'VALIDATION_FAILED')).message).toBe(
        'SKU list cannot be empty',
      );
      const many = Array.from({ length: 101 }, (_, i) => `S${i}`);
      expect(
        (await rejection(catalog.findProducts.bySkus(undefined, { skus: many }), 'VALIDATION_FAILED')).message,
      ).toBe('cannot request more than 100 SKUs at once');
      await rejection(catalog.findProducts.byIds(undefined, { productIds: [] }), 'VALIDATION_FAILED');
      await rejection(catalog.findProducts.byIds(undefined, { productIds: [1, -2] }), 'VALIDATION_FAILED');
    });

    it('ListProducts pages newest first with the total of all matches', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++)
        ids.push((await catalog.newProduct(shop, { name: `Product ${i}`, isActive: i !== 2 })).id);
      const first = await catalog.listProducts.execute(undefined, { storefrontId: shop, page: 1, pageSize: 2 });
      expect(first.totalCount).toBe(5);
      expect(first.products.map((product) => product.id)).toEqual([ids[4], ids[3]]);
      const third = await catalog.listProducts.execute(undefined, { storefrontId: shop, page: 3, pageSize: 2 });
      expect(third.products.map((product) => product.id)).toEqual([ids[0]]);
      const active = await catalog.listProducts.execute(undefined, {
        storefrontId: shop,
        page: 1,
        pageSize: 10,
        isActiveOnly: true,
      });
      expect(active.totalCount).toBe(4);
      const error = await rejection(
        catalog.listProducts.execute(undefined, { storefrontId: shop, page: 1, pageSize: 101 }),
        'VALIDATION_FAILED',
      );
      expect(error.message).toBe('page size must be between 1 and 100');
    });
  });
});
