/** Bulk product RPCs end to end: per-item errors with dotted codes in OK replies, whole-batch failures as statuses. */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingsClient } from '../../../adapters/grpc/client/index.ts';
import type { ProductInput } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { ANONYMOUS, expectStatus, type GrpcWorld, OWNER, openGrpcWorld, STRANGER } from './support/harness.ts';

let world: GrpcWorld;
let owner: ListingsClient;
let stranger: ListingsClient;
let shop: number;

beforeAll(async () => {
  world = await openGrpcWorld();
  owner = await world.as(OWNER);
  stranger = await world.as(STRANGER);
  shop = await world.addStorefront(7);
});
afterAll(() => world?.close());

function item(overrides: Partial<ProductInput> = {}): ProductInput {
  return {
    name: 'Wool socks',
    description: '',
    price: 9.5,
    currency: 'EUR',
    categoryId: world.categories.fashion!,
    stockQuantity: 4,
    isActive: true,
    hasIndividualLocation: false,
    showOnMap: false,
    hasVariants: false,
    ...overrides,
  };
}

describe('BulkCreateProducts', () => {
  it('creates the valid items and reports SKU collisions per item with products.sku_duplicate', async () => {
    await owner.bulkCreateProducts({ storefrontId: shop, products: [item({ sku: 'SOCK-1' })] });
    const reply = await owner.bulkCreateProducts({
      storefrontId: shop,
      products: [
        item({ sku: 'SOCK-1' }),
        item({ sku: 'SOCK-2', attributes: { wool: 'merino' } }),
        item({ sku: 'SOCK-2' }),
      ],
    });
    expect(reply.successfulCount).toBe(1);
    expect(reply.failedCount).toBe(2);
    expect(reply.products.map((product) => [product.sku, product.attributes])).toEqual([
      ['SOCK-2', { wool: 'merino' }],
    ]);
    expect(reply.errors).toEqual([
      {
        index: 0,
        productId: undefined,
        errorCode: 'products.sku_duplicate',
        errorMessage: 'SKU SOCK-1 already exists in storefront',
      },
      {
        index: 2,
        productId: undefined,
        errorCode: 'products.sku_duplicate',
        errorMessage: 'SKU SOCK-2 already exists in storefront',
      },
    ]);
  });

  it('fails the whole batch for invalid input, naming the field by index, and writes nothing', async () => {
    const before = await world.count('listings');
    await expectStatus(
      owner.bulkCreateProducts({ storefrontId: shop, products: [item(), item({ name: 'ab', price: 1.001 })] }),
      status.INVALID_ARGUMENT,
      {
        violations: [
          { field: 'products[1].name', description: 'name at index 1 must be at least 3 characters' },
          { field: 'products[1].price', description: 'price at index 1 must have at most 2 decimal places' },
        ],
      },
    );
    await expectStatus(owner.bulkCreateProducts({ storefrontId: shop, products: [] }), status.INVALID_ARGUMENT, {
      message: 'products.bulk_empty',
      violations: [{ field: 'products' }],
    });
    expect(await world.count('listings')).toBe(before);
  });

  it("refuses another user's storefront and anonymous callers", async () => {
    await expectStatus(
      stranger.bulkCreateProducts({ storefrontId: shop, products: [item()] }),
      status.PERMISSION_DENIED,
    );
    const anonymous = await world.as(ANONYMOUS);
    await expectStatus(
      anonymous.bulkCreateProducts({ storefrontId: shop, products: [item()] }),
      status.UNAUTHENTICATED,
    );
    await expectStatus(owner.bulkCreateProducts({ storefrontId: 987_654, products: [item()] }), status.NOT_FOUND);
  });
});

describe('BulkUpdateProducts', () => {
  it('updates each item on its own; masks in column and proto names; unknown ids are products.not_found', async () => {
    const { products } = await owner.bulkCreateProducts({ storefrontId: shop, products: [item(), item()] });
    const [a, b] = products;
    const reply = await owner.bulkUpdateProducts({
      storefrontId: shop,
      updates: [
        { productId: a!.id, name: 'Renamed socks', price: 1, updateMask: ['title'] },
        { productId: b!.id, isActive: false, updateMask: ['is_active'] },
        { productId: 987_654, name: 'Ghost socks' },
        { productId: b!.id },
      ],
    });
    expect(reply.products.map((product) => [product.id, product.name, product.price, product.isActive])).toEqual([
      [a!.id, 'Renamed socks', 9.5, true],
      [b!.id, 'Wool socks', 9.5, false],
    ]);
    expect(reply.successfulCount).toBe(2);
    expect(reply.failedCount).toBe(2);
    expect(reply.errors.map((error) => [error.index, error.productId, error.errorCode])).toEqual([
      [2, 987_654, 'products.not_found'],
      [3, b!.id, 'products.no_fields_to_update'],
    ]);
    expect(await owner.bulkUpdateProducts({ storefrontId: shop, updates: [] })).toEqual({
      products: [],
      successfulCount: 0,
      failedCount: 0,
      errors: [],
    });
  });

  it('checks the storefront against the token and the storefront id', async () => {
    await expectStatus(stranger.bulkUpdateProducts({ storefrontId: shop, updates: [] }), status.PERMISSION_DENIED);
    await expectStatus(owner.bulkUpdateProducts({ storefrontId: 0, updates: [] }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'storefront_id', description: 'storefront ID must be greater than 0' }],
    });
  });
});

describe('BulkDeleteProducts', () => {
  it('deletes de-duplicated ids; ids not deleted are products.not_found at their first index', async () => {
    const { products } = await owner.bulkCreateProducts({ storefrontId: shop, products: [item(), item()] });
    const ids = products.map((product) => product.id);
    const reply = await owner.bulkDeleteProducts({
      storefrontId: shop,
      productIds: [ids[0]!, 987_654, ids[0]!, ids[1]!],
      hardDelete: false,
    });
    expect(reply).toEqual({
      successfulCount: 2,
      failedCount: 1,
      variantsDeleted: 0,
      errors: [
        { index: 1, productId: 987_654, errorCode: 'products.not_found', errorMessage: 'product 987654 not found' },
      ],
    });
  });

  it('needs 5 s left on the deadline, a non-empty list, and the storefront owner', async () => {
    const { products } = await owner.bulkCreateProducts({ storefrontId: shop, products: [item()] });
    const productIds = [products[0]!.id];
    await expectStatus(
      owner.bulkDeleteProducts({ storefrontId: shop, productIds, hardDelete: true }, { deadlineMs: 3_000 }),
      status.DEADLINE_EXCEEDED,
      { message: 'insufficient time remaining for bulk delete operation' },
    );
    expect(await world.count('listings', { id: productIds[0] })).toBe(1);
    await expectStatus(
      owner.bulkDeleteProducts({ storefrontId: shop, productIds: [], hardDelete: true }),
      status.INVALID_ARGUMENT,
      {
        message: 'products.bulk_empty',
      },
    );
    await expectStatus(
      owner.bulkDeleteProducts({ storefrontId: shop, productIds: [0], hardDelete: true }),
      status.INVALID_ARGUMENT,
      {
        violations: [{ field: 'product_ids[0]' }],
      },
    );
    await expectStatus(
      stranger.bulkDeleteProducts({ storefrontId: shop, productIds, hardDelete: true }),
      status.PERMISSION_DENIED,
    );
  });
});
