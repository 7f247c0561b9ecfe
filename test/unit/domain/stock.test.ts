import { describe, expect, it } from 'vitest';
import { applyMovement, isAvailable, needsMovementRow } from '../../../src/domain/stock.ts';
import {
  checkBatchSize,
  validateMovement,
  validateOrderId,
  validateStockItems,
} from '../../../src/domain/stock-request.ts';
import { computeStockStatus, nextListingStockStatus } from '../../../src/domain/stock-status.ts';
import { catchAppError, expectViolation, violationsOf } from './support.ts';

const product = { productId: 9, variantId: null };
const variant = { productId: 9, variantId: 4 };

describe('applyMovement', () => {
  it('adds, subtracts and sets', () => {
    expect(applyMovement(product, 'in', 5, 3)).toEqual({ before: 5, after: 8, delta: 3 });
    expect(applyMovement(product, 'out', 5, 3)).toEqual({ before: 5, after: 2, delta: -3 });
    expect(applyMovement(product, 'sale', 5, 5)).toEqual({ before: 5, after: 0, delta: -5 });
    expect(applyMovement(product, 'rollback', 0, 2)).toEqual({ before: 0, after: 2, delta: 2 });
    expect(applyMovement(product, 'adjustment', 5, 12)).toEqual({ before: 5, after: 12, delta: 7 });
  });

  it('allows an adjustment to 0 and stores its signed delta', () => {
    const change = applyMovement(product, 'adjustment', 7, 0);
    expect(change).toEqual({ before: 7, after: 0, delta: -7 });
    expect(needsMovementRow(change)).toBe(true);
  });

  it('writes no movement row for a change of nothing', () => {
    expect(needsMovementRow(applyMovement(product, 'adjustment', 7, 7))).toBe(false);
    expect(needsMovementRow(applyMovement(product, 'in', 7, 0))).toBe(false);
  });

  it('never goes negative, with the original text', () => {
    const error = catchAppError(() => applyMovement(product, 'out', 2, 3), 'INSUFFICIENT_STOCK');
    expect(error.message).toBe('insufficient stock for product 9: have 2, need 3');
    expect(error.reason).toBe('inventory.insufficient_stock');
    const forVariant = catchAppError(() => applyMovement(variant, 'sale', 0, 1), 'INSUFFICIENT_STOCK');
    expect(forVariant.message).toBe('insufficient stock for product 9 variant 4: have 0, need 1');
  });

  it('never exceeds int32', () => {
    const error = catchAppError(() => applyMovement(product, 'in', 2_147_483_647, 1), 'INVALID_STATE');
    expect(error.reason).toBe('inventory.stock_overflow');
  });

  it('refuses a negative quantity', () => {
    catchAppError(() => applyMovement(product, 'in', 1, -1), 'VALIDATION_FAILED');
    catchAppError(() => applyMovement(product, 'adjustment', 1, -1), 'VALIDATION_FAILED');
  });

  it('answers availability; a missing target has none', () => {
    expect(isAvailable(5, 5)).toBe(true);
    expect(isAvailable(4, 5)).toBe(false);
    expect(isAvailable(null, 1)).toBe(false);
  });
});

describe('stock_status', () => {
  it.each([
    [0, 5, 'out_of_stock'],
    [1, 5, 'low_stock'],
    [5, 5, 'low_stock'],
    [6, 5, 'in_stock'],
    [3, 0, 'in_stock'],
    [3, null, 'in_stock'],
    [0, null, 'out_of_stock'],
    [10, 10, 'low_stock'],
  ] as const)('quantity %i, threshold %s → %s', (quantity, threshold, status) => {
    expect(computeStockStatus(quantity, threshold)).toBe(status);
  });

  it('uses threshold 5 for products, none for c2c listings, and keeps discontinued', () => {
    expect(nextListingStockStatus('in_stock', 5, 'b2c')).toBe('low_stock');
    expect(nextListingStockStatus('in_stock', 6, 'b2c')).toBe('in_stock');
    expect(nextListingStockStatus('in_stock', 5, 'c2c')).toBe('in_stock');
    expect(nextListingStockStatus('low_stock', 0, 'c2c')).toBe('out_of_stock');
    expect(nextListingStockStatus('discontinued', 0, 'b2c')).toBe('discontinued');
  });
});

describe('stock requests', () => {
  it('keeps the in-band texts of DecrementStock', () => {
    expectViolation(() => validateStockItems([]), 'items', 'no items provided');
    expectViolation(
      () => validateStockItems([{ productId: 0, quantity: 1 }]),
      'items[0].product_id',
      'invalid product_id',
    );
    expectViolation(
      () => validateStockItems([{ productId: 1, quantity: 0 }]),
      'items[0].quantity',
      'quantity must be positive',
    );
    expectViolation(
      () => validateStockItems([{ productId: 1, variantId: -2, quantity: 1 }]),
      'items[0].variant_id',
      'invalid variant_id',
    );
  });

  it('reports every bad item and treats variant 0 as none', () => {
    const fields = violationsOf(() =>
      validateStockItems([
        { productId: -1, quantity: 1 },
        { productId: 2, quantity: -1 },
      ]),
    ).map((v) => v.field);
    expect(fields).toEqual(['items[0].product_id', 'items[1].quantity']);
    expect(validateStockItems([{ productId: 2, variantId: 0, quantity: 3 }])).toEqual([
      { productId: 2, variantId: null, quantity: 3 },
    ]);
  });

  it('requires an order id for rollbacks', () => {
    expectViolation(() => validateOrderId(''), 'order_id', 'order_id is required for idempotency protection');
    expectViolation(() => validateOrderId(undefined), 'order_id', 'order_id is required for idempotency protection');
    expect(validateOrderId(' ord-1 ')).toBe('ord-1');
  });

  it('checks RecordInventoryMovement with the original texts', () => {
    const base = { storefrontId: 1, productId: 2, movementType: 'in', quantity: 3, userId: 4 };
    expect(validateMovement(base)).toMatchObject({ movementType: 'in', variantId: null, reason: null });
    expectViolation(
      () => validateMovement({ ...base, movementType: 'rollback' }),
      'movement_type',
      "movement_type must be 'in', 'out', or 'adjustment'",
    );
    const fields = violationsOf(() => validateMovement({ ...base, productId: 0, quantity: -1, userId: 0 })).map(
      (v) => v.message,
    );
    expect(fields).toEqual([
      'product ID must be greater than 0',
      'quantity cannot be negative',
      'user ID must be greater than 0',
    ]);
  });

  it('bounds BatchUpdateStock', () => {
    expectViolation(() => checkBatchSize(0), 'items', 'items list cannot be empty');
    expectViolation(() => checkBatchSize(1001), 'items', 'cannot update more than 1000 items at once');
    expect(() => checkBatchSize(1000)).not.toThrow();
  });
});
