/** Stock (order path) and inventory RPCs end to end: service role, in-band failures, variants, deadlines. */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingsClient } from '../../../adapters/grpc/client/index.ts';
import { ANONYMOUS, expectStatus, type GrpcWorld, OWNER, openGrpcWorld, SERVICE } from './support/harness.ts';

let world: GrpcWorld;
let owner: ListingsClient;
let service: ListingsClient;
let shop: number;

beforeAll(async () => {
  world = await openGrpcWorld();
  owner = await world.as(OWNER);
  service = await world.as(SERVICE);
  shop = await world.addStorefront(7);
});
afterAll(() => world?.close());

async function product(stockQuantity: number, hasVariants = false): Promise<number> {
  const { product: created } = await owner.createProduct({
    storefrontId: shop,
    name: 'Coffee beans',
    description: '',
    price: 12,
    currency: 'EUR',
    categoryId: world.categories['home-garden']!,
    stockQuantity,
    isActive: true,
    hasIndividualLocation: false,
    showOnMap: false,
    hasVariants,
  });
  return created!.id;
}

async function stockOf(productId: number): Promise<number | undefined> {
  return (await service.getProduct({ productId })).product?.stockQuantity;
}

describe('DecrementStock', () => {
  it('decrements products and variants all together, with per-item before/after', async () => {
    const a = await product(10);
    const b = await product(0, true);
    const { variant } = await owner.createProductVariant({
      productId: b,
      stockQuantity: 4,
      isActive: true,
      isDefault: false,
    });
    const reply = await service.decrementStock({
      items: [
        { productId: a, quantity: 3 },
        { productId: b, variantId: variant!.id, quantity: 4 },
      ],
      orderId: 'order-1',
    });
    expect(reply).toEqual({
      success: true,
      error: undefined,
      results: [
        { productId: a, variantId: undefined, stockBefore: 10, stockAfter: 7, success: true, error: undefined },
        { productId: b, variantId: variant!.id, stockBefore: 4, stockAfter: 0, success: true, error: undefined },
      ],
    });
    expect(await stockOf(a)).toBe(7);
  });

  it("keeps the original's in-band failures: status OK, success=false, the original text, nothing written", async () => {
    const a = await product(1);
    const short = await service.decrementStock({ items: [{ productId: a, quantity: 2 }] });
    expect(short.success).toBe(false);
    expect(short.error).toBe(
      `failed to decrement stock for product ${a}: insufficient stock for product ${a}: have 1, need 2`,
    );
    expect(short.results[0]).toMatchObject({ success: false, stockBefore: 1, stockAfter: 1 });
    expect(await stockOf(a)).toBe(1);
    expect(await service.decrementStock({ items: [] })).toEqual({
      success: false,
      error: 'no items provided',
      results: [],
    });
    const missing = await service.decrementStock({ items: [{ productId: 987_654, quantity: 1 }] });
    expect(missing.error).toBe('failed to decrement stock for product 987654: product 987654 not found');
    expect((await service.decrementStock({ items: [{ productId: a, quantity: 0 }] })).error).toBe(
      'quantity must be positive',
    );
  });

  it('needs the service role', async () => {
    const a = await product(5);
    await expectStatus(owner.decrementStock({ items: [{ productId: a, quantity: 1 }] }), status.PERMISSION_DENIED, {
      message: 'this operation requires the service role',
    });
    const anonymous = await world.as(ANONYMOUS);
    await expectStatus(anonymous.decrementStock({ items: [{ productId: a, quantity: 1 }] }), status.UNAUTHENTICATED);
  });
});

describe('RollbackStock', () => {
  it('gives back once per order and item; a retry succeeds without changing stock', async () => {
    const a = await product(5);
    await service.decrementStock({ items: [{ productId: a, quantity: 2 }], orderId: 'order-r' });
    const first = await service.rollbackStock({ items: [{ productId: a, quantity: 2 }], orderId: 'order-r' });
    expect(first.success).toBe(true);
    expect(first.results[0]).toMatchObject({ stockBefore: 3, stockAfter: 5, success: true });
    const retry = await service.rollbackStock({ items: [{ productId: a, quantity: 2 }], orderId: 'order-r' });
    expect(retry.success).toBe(true);
    expect(await stockOf(a)).toBe(5);
  });

  it('reports a missing order id in-band, and missing products per item', async () => {
    const a = await product(5);
    expect(await service.rollbackStock({ items: [{ productId: a, quantity: 1 }] })).toEqual({
      success: false,
      error: 'order_id is required for idempotency protection',
      results: [],
    });
    const reply = await service.rollbackStock({
      items: [
        { productId: a, quantity: 1 },
        { productId: 987_654, quantity: 1 },
      ],
      orderId: 'order-m',
    });
    expect(reply.success).toBe(false);
    expect(reply.error).toBe('product 987654 not found');
    expect(reply.results.map((result) => result.success)).toEqual([true, false]);
    await expectStatus(
      owner.rollbackStock({ items: [{ productId: a, quantity: 1 }], orderId: 'x' }),
      status.PERMISSION_DENIED,
    );
  });
});

describe('CheckStockAvailability', () => {
  it('reads availability; a missing product has 0; bad input is a real INVALID_ARGUMENT', async () => {
    const a = await product(3);
    const reply = await service.checkStockAvailability({
      items: [
        { productId: a, quantity: 3 },
        { productId: 987_654, quantity: 1 },
      ],
    });
    expect(reply).toEqual({
      allAvailable: false,
      items: [
        { productId: a, variantId: undefined, requestedQuantity: 3, availableQuantity: 3, isAvailable: true },
        { productId: 987_654, variantId: undefined, requestedQuantity: 1, availableQuantity: 0, isAvailable: false },
      ],
    });
    await expectStatus(
      service.checkStockAvailability({ items: [{ productId: a, quantity: 0 }] }),
      status.INVALID_ARGUMENT,
      {
        violations: [{ field: 'items[0].quantity', description: 'quantity must be positive' }],
      },
    );
    await expectStatus(service.checkStockAvailability({ items: [] }), status.INVALID_ARGUMENT, {
      message: 'no items provided',
    });
    await expectStatus(
      owner.checkStockAvailability({ items: [{ productId: a, quantity: 1 }] }),
      status.PERMISSION_DENIED,
    );
  });
});

describe('RecordInventoryMovement', () => {
  const movement = (productId: number, movementType: string, quantity: number) => ({
    storefrontId: shop,
    productId,
    movementType,
    quantity,
    userId: 7,
    reason: 'restock',
  });

  it('adds, subtracts and sets stock; adjustment to 0 is allowed', async () => {
    const a = await product(5);
    expect(await service.recordInventoryMovement(movement(a, 'in', 3))).toEqual({
      success: true,
      stockBefore: 5,
      stockAfter: 8,
      error: undefined,
    });
    expect((await service.recordInventoryMovement(movement(a, 'out', 8))).stockAfter).toBe(0);
    expect((await service.recordInventoryMovement(movement(a, 'adjustment', 0))).stockAfter).toBe(0);
  });

  it('answers statuses: insufficient stock, unknown type, missing product or variant, role', async () => {
    const a = await product(1);
    await expectStatus(service.recordInventoryMovement(movement(a, 'out', 2)), status.FAILED_PRECONDITION, {
      message: 'inventory.insufficient_stock',
    });
    await expectStatus(service.recordInventoryMovement(movement(a, 'steal', 1)), status.INVALID_ARGUMENT, {
      violations: [{ field: 'movement_type', description: "movement_type must be 'in', 'out', or 'adjustment'" }],
    });
    await expectStatus(service.recordInventoryMovement(movement(987_654, 'in', 1)), status.NOT_FOUND, {
      message: 'inventory.product_not_found',
    });
    await expectStatus(
      service.recordInventoryMovement({ ...movement(a, 'in', 1), variantId: 987_654 }),
      status.NOT_FOUND,
      {
        message: 'inventory.variant_not_found',
      },
    );
    await expectStatus(owner.recordInventoryMovement(movement(a, 'in', 1)), status.PERMISSION_DENIED);
  });
});

describe('BatchUpdateStock', () => {
  it('sets absolute stock per item; failures per item in results', async () => {
    const a = await product(5);
    const reply = await service.batchUpdateStock({
      storefrontId: shop,
      userId: 7,
      reason: 'recount',
      items: [
        { productId: a, quantity: 0 },
        { productId: 987_654, quantity: 1 },
        { productId: a, quantity: -1 },
      ],
    });
    expect(reply.successfulCount).toBe(1);
    expect(reply.failedCount).toBe(2);
    expect(reply.results).toEqual([
      { productId: a, variantId: undefined, stockBefore: 5, stockAfter: 0, success: true, error: undefined },
      {
        productId: 987_654,
        variantId: undefined,
        stockBefore: 0,
        stockAfter: 0,
        success: false,
        error: 'product 987654 not found',
      },
      {
        productId: a,
        variantId: undefined,
        stockBefore: 0,
        stockAfter: 0,
        success: false,
        error: 'quantity cannot be negative',
      },
    ]);
    expect(await stockOf(a)).toBe(0);
  });

  it('needs 5 s left on the deadline, a non-empty list and the service role', async () => {
    const a = await product(5);
    const items = [{ productId: a, quantity: 1 }];
    await expectStatus(
      service.batchUpdateStock({ storefrontId: shop, userId: 7, items }, { deadlineMs: 3_000 }),
      status.DEADLINE_EXCEEDED,
      {
        message: 'insufficient time remaining for batch operation',
      },
    );
    expect(await stockOf(a)).toBe(5);
    await expectStatus(
      service.batchUpdateStock({ storefrontId: shop, userId: 7, items: [] }),
      status.INVALID_ARGUMENT,
      {
        message: 'items list cannot be empty',
        violations: [{ field: 'items' }],
      },
    );
    await expectStatus(owner.batchUpdateStock({ storefrontId: shop, userId: 7, items }), status.PERMISSION_DENIED);
  });
});
