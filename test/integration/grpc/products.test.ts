/** Product reads and single-product writes, stats and views, end to end on PostgreSQL 15. */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingsClient } from '../../../adapters/grpc/client/index.ts';
import type { CreateProductRequest, Product } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { ANONYMOUS, expectStatus, type GrpcWorld, OWNER, openGrpcWorld, SERVICE, STRANGER } from './support/harness.ts';

let world: GrpcWorld;
let owner: ListingsClient;
let stranger: ListingsClient;
let anonymous: ListingsClient;
let shop: number;
let otherShop: number;

beforeAll(async () => {
  world = await openGrpcWorld();
  owner = await world.as(OWNER);
  stranger = await world.as(STRANGER);
  anonymous = await world.as(ANONYMOUS);
  shop = await world.addStorefront(7);
  otherShop = await world.addStorefront(8);
});
afterAll(() => world?.close());

function productRequest(overrides: Partial<CreateProductRequest> = {}): CreateProductRequest {
  return {
    storefrontId: shop,
    name: 'Trail shoes',
    description: 'Light and waterproof',
    price: 49.99,
    currency: 'EUR',
    categoryId: world.categories.fashion!,
    stockQuantity: 10,
    isActive: true,
    hasIndividualLocation: false,
    showOnMap: true,
    hasVariants: false,
    ...overrides,
  };
}

async function newProduct(overrides: Partial<CreateProductRequest> = {}): Promise<Product> {
  return (await owner.createProduct(productRequest(overrides))).product!;
}

describe('CreateProduct', () => {
  it('honours every field and answers with the stored product, Timestamps and the attributes Struct', async () => {
    const product = await newProduct({
      sku: 'TS-1',
      barcode: '4006381333931',
      attributes: { color: 'red', size: 42, waterproof: true },
      hasIndividualLocation: true,
      individualAddress: 'Bulevar 1',
      individualLatitude: 45.25,
      individualLongitude: 19.84,
      locationPrivacy: 'approximate',
    });
    expect(product).toMatchObject({
      storefrontId: shop,
      name: 'Trail shoes',
      price: 49.99,
      currency: 'EUR',
      sku: 'TS-1',
      barcode: '4006381333931',
      stockQuantity: 10,
      stockStatus: 'in_stock',
      isActive: true,
      attributes: { color: 'red', size: 42, waterproof: true },
      individualLatitude: 45.25,
      locationPrivacy: 'approximate',
      viewCount: 0,
      variants: [],
    });
    expect(product.createdAt?.seconds).toBeGreaterThan(1_700_000_000);
    const row = await world.knex('listings').where({ id: product.id }).first();
    expect(row).toMatchObject({ user_id: 7, source_type: 'b2c', title: 'Trail shoes' });
    const draft = await newProduct({ isActive: false, hasVariants: true, stockQuantity: 0 });
    expect(draft).toMatchObject({ isActive: false, hasVariants: true, stockStatus: 'out_of_stock' });
  });

  it('reports every invalid field with BadRequest details and writes nothing', async () => {
    const before = await world.count('listings');
    await expectStatus(
      owner.createProduct(
        productRequest({ name: 'ab', price: 10.001, currency: 'EURO', stockQuantity: -1, locationPrivacy: 'public' }),
      ),
      status.INVALID_ARGUMENT,
      {
        violations: [
          { field: 'name', description: 'name must be at least 3 characters' },
          { field: 'price', description: 'price must have at most 2 decimal places' },
          { field: 'currency' },
          { field: 'stock_quantity', description: 'stock_quantity cannot be negative' },
          { field: 'location_privacy' },
        ],
      },
    );
    await expectStatus(owner.createProduct(productRequest({ categoryId: 999_999 })), status.INVALID_ARGUMENT, {
      violations: [{ field: 'category_id', description: 'category not found' }],
    });
    expect(await world.count('listings')).toBe(before);
  });

  it("refuses another user's storefront, an unknown one, and anonymous callers", async () => {
    await expectStatus(owner.createProduct(productRequest({ storefrontId: otherShop })), status.PERMISSION_DENIED, {
      message: `unauthorized: user does not own storefront ${otherShop}`,
    });
    await expectStatus(owner.createProduct(productRequest({ storefrontId: 987_654 })), status.NOT_FOUND, {
      reason: 'STOREFRONT_NOT_FOUND',
    });
    await expectStatus(anonymous.createProduct(productRequest()), status.UNAUTHENTICATED);
    const service = await world.as(SERVICE);
    expect((await service.createProduct(productRequest({ storefrontId: otherShop }))).product?.storefrontId).toBe(
      otherShop,
    );
  });

  it('replays a retry carrying the same idempotency-key', async () => {
    const options = { metadata: { 'idempotency-key': 'product-create-1' } };
    const first = await owner.createProduct(productRequest({ sku: 'IDEM-1' }), options);
    const again = await owner.createProduct(productRequest({ sku: 'IDEM-1' }), options);
    expect(again.product?.id).toBe(first.product?.id);
    expect(await world.count('listings', { sku: 'IDEM-1' })).toBe(1);
  });
});

describe('product reads (public)', () => {
  it('GetProduct: any status, with variants, filtered by storefront when given', async () => {
    const product = await newProduct({ isActive: false });
    expect((await anonymous.getProduct({ productId: product.id })).product).toMatchObject({
      id: product.id,
      isActive: false,
      variants: [],
    });
    expect((await anonymous.getProduct({ productId: product.id, storefrontId: shop })).product?.id).toBe(product.id);
    await expectStatus(anonymous.getProduct({ productId: product.id, storefrontId: otherShop }), status.NOT_FOUND, {
      message: 'products.not_found',
      reason: 'PRODUCT_NOT_FOUND',
    });
    await expectStatus(anonymous.getProduct({ productId: 987_654 }), status.NOT_FOUND, {
      message: 'products.not_found',
    });
    await expectStatus(anonymous.getProduct({ productId: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'product_id', description: 'product ID must be greater than 0' }],
    });
  });

  it('GetProductsBySKUs / ByIDs: active products only, unknown keys omitted, limits checked', async () => {
    const a = await newProduct({ sku: 'LOOK-A' });
    const b = await newProduct({ sku: 'LOOK-B', isActive: false });
    const bySku = await anonymous.getProductsBySKUs({ skus: ['LOOK-A', 'LOOK-B', 'NOPE'] });
    expect(bySku.products.map((product) => product.id)).toEqual([a.id]);
    expect(bySku.totalCount).toBe(1);
    const byId = await anonymous.getProductsByIDs({ productIds: [a.id, b.id, 987_654], storefrontId: shop });
    expect(byId.products.map((product) => product.id)).toEqual([a.id]);
    await expectStatus(anonymous.getProductsBySKUs({ skus: [] }), status.INVALID_ARGUMENT, {
      message: 'SKU list cannot be empty',
      violations: [{ field: 'skus' }],
    });
    await expectStatus(anonymous.getProductsByIDs({ productIds: [a.id, 0] }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'product_ids[1]', description: 'product ID must be greater than 0' }],
    });
  });

  it('ListProducts: the storefront products newest first, page-based, with the total', async () => {
    const own = await world.addStorefront(7);
    const first = await newProduct({ storefrontId: own });
    const second = await newProduct({ storefrontId: own, isActive: false });
    const page = await anonymous.listProducts({ storefrontId: own, page: 1, pageSize: 1 });
    expect(page.products.map((product) => product.id)).toEqual([second.id]);
    expect(page.totalCount).toBe(2);
    const active = await anonymous.listProducts({ storefrontId: own, page: 1, pageSize: 10, isActiveOnly: true });
    expect(active.products.map((product) => product.id)).toEqual([first.id]);
    await expectStatus(anonymous.listProducts({ storefrontId: own, page: 0, pageSize: 101 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'page' }, { field: 'page_size', description: 'page size must be between 1 and 100' }],
    });
  });
});

describe('UpdateProduct and DeleteProduct', () => {
  it('applies present fields (sku, barcode, currency and category included) and honours the mask', async () => {
    const product = await newProduct();
    const { product: updated } = await owner.updateProduct({
      productId: product.id,
      storefrontId: shop,
      sku: 'NEW-SKU',
      barcode: '123',
      currency: 'RSD',
      categoryId: world.categories.furniture,
      isActive: false,
      name: 'Ignored by the mask',
      updateMask: ['sku', 'barcode', 'currency', 'category_id', 'is_active'],
    });
    expect(updated).toMatchObject({ sku: 'NEW-SKU', barcode: '123', currency: 'RSD', isActive: false });
    expect(updated?.name).toBe('Trail shoes');
    expect(updated?.categoryId).toBe(world.categories.furniture);
  });

  it('validates, and answers products.not_found for a product outside the named storefront', async () => {
    const product = await newProduct();
    await expectStatus(owner.updateProduct({ productId: product.id, storefrontId: shop }), status.INVALID_ARGUMENT, {
      message: 'products.no_fields_to_update',
    });
    await expectStatus(
      owner.updateProduct({ productId: product.id, storefrontId: shop, price: 0.001 }),
      status.INVALID_ARGUMENT,
      { violations: [{ field: 'price' }] },
    );
    await expectStatus(
      owner.updateProduct({ productId: product.id, storefrontId: shop, updateMask: ['nonsense'], name: 'Shoes' }),
      status.INVALID_ARGUMENT,
      { violations: [{ field: 'update_mask' }] },
    );
    const own = await world.addStorefront(7);
    await expectStatus(
      owner.updateProduct({ productId: product.id, storefrontId: own, name: 'Moved' }),
      status.NOT_FOUND,
      {
        message: 'products.not_found',
      },
    );
  });

  it("checks the storefront against the token: another user's storefront is PERMISSION_DENIED", async () => {
    const product = await newProduct();
    await expectStatus(
      stranger.updateProduct({ productId: product.id, storefrontId: shop, name: 'Taken' }),
      status.PERMISSION_DENIED,
    );
    await expectStatus(
      stranger.deleteProduct({ productId: product.id, storefrontId: shop, hardDelete: true }),
      status.PERMISSION_DENIED,
    );
  });

  it('soft and hard deletes with the original messages', async () => {
    const soft = await newProduct();
    expect(await owner.deleteProduct({ productId: soft.id, storefrontId: shop, hardDelete: false })).toEqual({
      success: true,
      message: 'Product soft deleted successfully',
      variantsDeleted: 0,
    });
    await expectStatus(anonymous.getProduct({ productId: soft.id }), status.NOT_FOUND);
    const row = await world.knex('listings').where({ id: soft.id }).first();
    expect(row.is_deleted).toBe(true);
    const hard = await newProduct();
    const answer = await owner.deleteProduct({ productId: hard.id, storefrontId: shop, hardDelete: true });
    expect(answer.message).toBe('Product hard deleted successfully');
    expect(await world.count('listings', { id: hard.id })).toBe(0);
    await expectStatus(
      owner.deleteProduct({ productId: hard.id, storefrontId: shop, hardDelete: true }),
      status.NOT_FOUND,
      {
        message: 'products.not_found',
      },
    );
    await expectStatus(
      owner.deleteProduct({ productId: 0, storefrontId: shop, hardDelete: false }),
      status.INVALID_ARGUMENT,
      {
        violations: [{ field: 'product_id' }],
      },
    );
  });
});

describe('GetProductStats and IncrementProductViews', () => {
  it('aggregates a storefront for its owner only; an unknown storefront gives zeros', async () => {
    const own = await world.addStorefront(7);
    await newProduct({ storefrontId: own, price: 10.1, stockQuantity: 3 });
    await newProduct({ storefrontId: own, price: 0.2, stockQuantity: 0, isActive: false });
    expect((await owner.getProductStats({ storefrontId: own })).stats).toEqual({
      totalProducts: 2,
      activeProducts: 1,
      outOfStock: 1,
      lowStock: 1,
      totalValue: 30.3,
      totalSold: 0,
    });
    await expectStatus(stranger.getProductStats({ storefrontId: own }), status.PERMISSION_DENIED);
    await expectStatus(anonymous.getProductStats({ storefrontId: own }), status.UNAUTHENTICATED);
    await expectStatus(owner.getProductStats({ storefrontId: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'storefront_id' }],
    });
    expect((await owner.getProductStats({ storefrontId: 987_654 })).stats?.totalProducts).toBe(0);
  });

  it('counts views from anyone; a missing product is NOT_FOUND', async () => {
    const product = await newProduct();
    expect(await anonymous.incrementProductViews({ productId: product.id })).toEqual({});
    await anonymous.incrementProductViews({ productId: product.id });
    expect((await anonymous.getProduct({ productId: product.id })).product?.viewCount).toBe(2);
    await expectStatus(anonymous.incrementProductViews({ productId: 987_654 }), status.NOT_FOUND, {
      message: 'products.not_found',
    });
    await expectStatus(anonymous.incrementProductViews({ productId: -1 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'product_id' }],
    });
  });
});
