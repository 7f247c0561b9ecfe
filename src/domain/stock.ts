/**
 * Stock arithmetic and stock movements.
 *
 * Movement types: `in` (adds), `out` (subtracts) and `adjustment` (sets the absolute value) come from
 * RecordInventoryMovement; `sale` is written by DecrementStock (one per order item, so an order's decrements are
 * auditable and RollbackStock can be checked against them); `rollback` is written by RollbackStock and, with the
 * order id, makes a rollback idempotent per (order_id, product, variant).
 *
 * A movement row stores the signed delta (`after − before`), so an adjustment that ends at 0 stores its negative
 * difference (the original stored the absolute value and its CHECK quantity ≠ 0 broke it). A change with delta 0
 * (an adjustment to the current value, `in` 0) changes nothing and writes no movement row ({@link needsMovementRow}).
 * Stock is never negative and never above int32.
 */
import { AppError } from './errors.ts';
import { INT32_MAX } from './validation.ts';

export const MOVEMENT_TYPES = ['in', 'out', 'adjustment', 'sale', 'rollback'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** What RecordInventoryMovement accepts from callers. */
export const API_MOVEMENT_TYPES = ['in', 'out', 'adjustment'] as const;
export type ApiMovementType = (typeof API_MOVEMENT_TYPES)[number];

/** Whose stock: a product's own quantity (`variantId` null) or one variant's `stock_quantity`. */
export interface StockTarget {
  readonly productId: number;
  readonly variantId: number | null;
}

export interface StockChange {
  readonly before: number;
  readonly after: number;
  /** after − before: what the movement row stores. */
  readonly delta: number;
}

export function describeTarget(target: StockTarget): string {
  return target.variantId === null
    ? `product ${target.productId}`
    : `product ${target.productId} variant ${target.variantId}`;
}

/** INSUFFICIENT_STOCK with the original's text `insufficient stock for product N: have X, need Y`. */
export function insufficientStock(target: StockTarget, have: number, need: number): AppError {
  return new AppError(
    'INSUFFICIENT_STOCK',
    `insufficient stock for ${describeTarget(target)}: have ${have}, need ${need}`,
    {
      reason: 'inventory.insufficient_stock',
      details: { productId: target.productId, variantId: target.variantId, have, need },
    },
  );
}

/**
 * The stock after one movement. `quantity` is the amount moved (`in`, `out`, `sale`, `rollback`, ≥ 0) or the new
 * absolute value (`adjustment`, ≥ 0). Throws INSUFFICIENT_STOCK when the result would be negative and INVALID_STATE
 * (`inventory.stock_overflow`) when it would exceed int32.
 */
export function applyMovement(target: StockTarget, type: MovementType, current: number, quantity: number): StockChange {
  if (!Number.isInteger(quantity) || quantity < 0) {
    throw new AppError('VALIDATION_FAILED', 'quantity cannot be negative', {
      violations: [{ field: 'quantity', reason: 'negative', message: 'quantity cannot be negative' }],
    });
  }
  let after: number;
  switch (type) {
    case 'in':
    case 'rollback':
      after = current + quantity;
      break;
    case 'out':
    case 'sale':
      after = current - quantity;
      break;
    case 'adjustment':
      after = quantity;
      break;
  }
  if (after < 0) throw insufficientStock(target, current, quantity);
  if (after > INT32_MAX) {
    throw new AppError('INVALID_STATE', `stock of ${describeTarget(target)} would exceed ${INT32_MAX}`, {
      reason: 'inventory.stock_overflow',
    });
  }
  return { before: current, after, delta: after - current };
}

/** The schema keeps CHECK quantity ≠ 0 on movements: a no-op change is reported but not recorded. */
export function needsMovementRow(change: StockChange): boolean {
  return change.delta !== 0;
}

/** Read-only availability (CheckStockAvailability): a missing target has 0 available. */
export function isAvailable(available: number | null, requested: number): boolean {
  return available !== null && available >= requested;
}
