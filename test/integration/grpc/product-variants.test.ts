/** Product variant RPCs end to end: dotted reasons as status messages, default and last-variant rules. */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingsClient } from '../../../adapters/grpc/client/index.ts';
import type { CreateProductVariantRequest } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { ANONYMOUS, expectStatus, type GrpcWorld, OWNER, openGrpcWorld, STRANGER } from './support/harness.ts';

let world: GrpcWorld;
let owner: ListingsClient;
let stranger: ListingsClient;
let anonymous: ListingsClient;
let shop: number;

beforeAll(async () => {
  world = await openGrpcWorld();
  owner = await world.as(OWNER);
  stranger = await world.as(STRANGER);
  anonymous = await world.as(ANONYMOUS);
  shop = await world.addStorefront(7);
});
afterAll(() => world?.close());

async function product(hasVariants = true): Promise<number> {
  const { product: created } = await owner.createProduct({
    storefrontId: shop,
    name: 'T-shirt',
    description: '',
    price: 20,
    currency: 'EUR',
    categoryId: world.categories.fashion!,
    stockQuantity: 0,
    isActive: true,
    hasIndividualLocation: false,
    showOnMap: false,
    hasVariants,
  });
  return created!.id;
}

const variant = (productId: number, extra: Partial<CreateProductVariantRequest> = {}): CreateProductVariantRequest => ({
  productId,
  stockQuantity: 0,
  isActive: false,
  isDefault: false,
  ...extra,
});

describe('CreateProductVariant and reads', () => {
  it('creates active variants (the first is the default), stock 0 allowed, unset price inherited', async () => {
    const productId = await product();
    const { variant: first } = await owner.createProductVariant(
      variant(productId, { sku: 'TS-S', variantAttributes: { size: 'S' }, dimensions: { width: 30 }, weight: 120.5 }),
    );
    expect(first).toMatchObject({
      productId,
      sku: 'TS-S',
      stockQuantity: 0,
      stockStatus: 'out_of_stock',
      lowStockThreshold: 5,
      variantAttributes: { size: 'S' },
      dimensions: { width: 30 },
      weight: 120.5,
      isActive: true,
      isDefault: true,
    });
    expect(first?.price).toBeUndefined();
    expect(first?.createdAt?.seconds).toBeGreaterThan(0);
    const { variant: second } = await owner.createProductVariant(
      variant(productId, { sku: 'TS-M', price: 22.5, stockQuantity: 3, isDefault: true }),
    );
    expect(second).toMatchObject({ price: 22.5, stockStatus: 'low_stock', isDefault: true });

    const { variants } = await anonymous.getVariantsByProductID({ productId });
    expect(variants.map((item) => [item.id, item.isDefault])).toEqual([
      [second!.id, true],
      [first!.id, false],
    ]);
    expect((await anonymous.getVariant({ variantId: first!.id, productId })).variant?.sku).toBe('TS-S');
    const { product: parent } = await anonymous.getProduct({ productId });
    expect(parent?.variants.map((item) => item.id)).toEqual([second!.id, first!.id]);
  });

  it('answers the parent rules and bad input with the original dotted reasons', async () => {
    const productId = await product();
    await expectStatus(owner.createProductVariant(variant(productId, { stockQuantity: -1 })), status.INVALID_ARGUMENT, {
      message: 'variants.invalid_stock_quantity',
      violations: [{ field: 'stock_quantity', description: 'stock_quantity cannot be negative' }],
    });
    await expectStatus(owner.createProductVariant(variant(0)), status.INVALID_ARGUMENT, {
      message: 'variants.invalid_product_id',
      violations: [{ field: 'product_id' }],
    });
    await expectStatus(owner.createProductVariant(variant(await product(false))), status.FAILED_PRECONDITION, {
      message: 'variants.product_no_variants',
    });
    await expectStatus(owner.createProductVariant(variant(987_654)), status.NOT_FOUND, {
      message: 'variants.product_not_found',
    });
    await owner.createProductVariant(variant(productId, { sku: 'DUP' }));
    await expectStatus(owner.createProductVariant(variant(productId, { sku: 'DUP' })), status.ALREADY_EXISTS, {
      message: 'variants.sku_duplicate',
    });
  });

  it("refuses writes by someone who does not own the product's storefront", async () => {
    const productId = await product();
    await expectStatus(stranger.createProductVariant(variant(productId)), status.PERMISSION_DENIED);
    await expectStatus(anonymous.createProductVariant(variant(productId)), status.UNAUTHENTICATED);
  });

  it('GetVariant: another product or a missing id is variants.not_found', async () => {
    const productId = await product();
    const { variant: created } = await owner.createProductVariant(variant(productId));
    await expectStatus(
      anonymous.getVariant({ variantId: created!.id, productId: productId + 1_000 }),
      status.NOT_FOUND,
      {
        message: 'variants.not_found',
        reason: 'VARIANT_NOT_FOUND',
      },
    );
    await expectStatus(anonymous.getVariant({ variantId: 0 }), status.INVALID_ARGUMENT, {
      message: 'variants.invalid_variant_id',
      violations: [{ field: 'variant_id' }],
    });
    await expectStatus(anonymous.getVariantsByProductID({ productId: 0 }), status.INVALID_ARGUMENT, {
      message: 'variants.invalid_product_id',
      violations: [{ field: 'product_id' }],
    });
    expect((await anonymous.getVariantsByProductID({ productId: 987_654 })).variants).toEqual([]);
  });
});

describe('UpdateProductVariant, DeleteProductVariant, BulkCreateProductVariants', () => {
  it('updates present fields, keeps the last active variant, and moves the default', async () => {
    const productId = await product();
    const { variants } = await owner.bulkCreateProductVariants({
      productId,
      variants: [
        { sku: 'A', stockQuantity: 10, isActive: true, isDefault: false },
        { sku: 'B', stockQuantity: 1, isActive: true, isDefault: true, compareAtPrice: 30 },
      ],
    });
    const [a, b] = variants;
    expect([a?.isDefault, b?.isDefault, b?.compareAtPrice]).toEqual([false, true, 30]);
    const { variant: updated } = await owner.updateProductVariant({
      variantId: a!.id,
      productId,
      stockQuantity: 0,
      isDefault: true,
    });
    expect(updated).toMatchObject({ stockQuantity: 0, stockStatus: 'out_of_stock', isDefault: true, sku: 'A' });
    await owner.updateProductVariant({ variantId: b!.id, productId, isActive: false });
    await expectStatus(
      owner.updateProductVariant({ variantId: a!.id, productId, isActive: false }),
      status.FAILED_PRECONDITION,
      {
        message: 'variants.last_variant',
      },
    );
    await expectStatus(owner.updateProductVariant({ variantId: a!.id, productId }), status.INVALID_ARGUMENT, {
      message: 'at least one field must be provided for update',
    });
    await expectStatus(owner.updateProductVariant({ variantId: 987_654, productId, sku: 'Z' }), status.NOT_FOUND, {
      message: 'variants.not_found',
    });
    await expectStatus(
      stranger.updateProductVariant({ variantId: a!.id, productId, sku: 'Z' }),
      status.PERMISSION_DENIED,
    );
  });

  it('deletes: the default passes to the lowest id; the last one clears has_variants', async () => {
    const productId = await product();
    const { variants } = await owner.bulkCreateProductVariants({
      productId,
      variants: [
        { sku: 'X', stockQuantity: 1, isActive: true, isDefault: true },
        { sku: 'Y', stockQuantity: 1, isActive: true, isDefault: false },
      ],
    });
    const [x, y] = variants;
    await expectStatus(stranger.deleteProductVariant({ variantId: x!.id, productId }), status.PERMISSION_DENIED);
    await expectStatus(owner.deleteProductVariant({ variantId: 987_654, productId }), status.NOT_FOUND, {
      message: 'variants.not_found',
    });
    expect(await owner.deleteProductVariant({ variantId: x!.id, productId })).toEqual({
      success: true,
      message: 'Variant deleted successfully',
    });
    expect((await anonymous.getVariant({ variantId: y!.id })).variant?.isDefault).toBe(true);
    await owner.deleteProductVariant({ variantId: y!.id, productId });
    expect((await anonymous.getProduct({ productId })).product?.hasVariants).toBe(false);
    await expectStatus(owner.deleteProductVariant({ variantId: y!.id, productId }), status.FAILED_PRECONDITION, {
      message: 'variants.product_no_variants',
    });
    await expectStatus(owner.deleteProductVariant({ variantId: 0, productId }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'variant_id' }],
    });
  });

  it('bulk create is all or nothing, with whole-batch dotted reasons', async () => {
    const productId = await product();
    await expectStatus(owner.bulkCreateProductVariants({ productId, variants: [] }), status.INVALID_ARGUMENT, {
      message: 'variants.bulk_empty',
    });
    const two = { stockQuantity: 1, isActive: true, isDefault: true };
    await expectStatus(owner.bulkCreateProductVariants({ productId, variants: [two, two] }), status.INVALID_ARGUMENT, {
      message: 'variants.multiple_defaults',
    });
    await expectStatus(
      owner.bulkCreateProductVariants({
        productId,
        variants: [
          { ...two, isDefault: false },
          { ...two, stockQuantity: -2 },
        ],
      }),
      status.INVALID_ARGUMENT,
      {
        violations: [
          { field: 'variants[1].stock_quantity', description: 'stock_quantity at index 1 cannot be negative' },
        ],
      },
    );
    expect(await world.count('b2c_product_variants', { product_id: productId })).toBe(0);
    await expectStatus(stranger.bulkCreateProductVariants({ productId, variants: [two] }), status.PERMISSION_DENIED);
    await expectStatus(owner.bulkCreateProductVariants({ productId: 987_654, variants: [two] }), status.NOT_FOUND, {
      message: 'variants.product_not_found',
    });
  });
});
