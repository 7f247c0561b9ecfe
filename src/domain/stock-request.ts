/**
 * Input checks of the stock RPCs (DecrementStock, RollbackStock, CheckStockAvailability, RecordInventoryMovement,
 * BatchUpdateStock), with the original's texts. DecrementStock and RollbackStock report these in-band
 * (`success=false`, `error`); the use case catches the VALIDATION_FAILED and copies its message.
 */
import { AppError } from './errors.ts';
import { API_MOVEMENT_TYPES, type ApiMovementType, type StockTarget } from './stock.ts';
import { checkEntityId, checkInt, checkOptionalText, Violations } from './validation.ts';

/** Most items one stock request may carry (the original capped BatchUpdateStock at 1000). */
export const MAX_STOCK_ITEMS = 1000;

export interface StockItemInput {
  readonly productId: number;
  readonly variantId?: number | null;
  readonly quantity: number;
}

export interface StockItem extends StockTarget {
  readonly quantity: number;
}

/** `no items provided`, `invalid product_id`, `invalid variant_id`, `quantity must be positive`. */
export function validateStockItems(items: readonly StockItemInput[]): StockItem[] {
  const v = new Violations();
  if (items.length === 0) v.add('items', 'required', 'no items provided');
  if (items.length > MAX_STOCK_ITEMS) {
    v.add('items', 'too_many', `cannot process more than ${MAX_STOCK_ITEMS} items at once`);
  }
  v.throwIfAny();
  const result: StockItem[] = [];
  items.forEach((item, index) => {
    const ok = { product: true, variant: true, quantity: true };
    if (!Number.isSafeInteger(item.productId) || item.productId <= 0) {
      v.add(`items[${index}].product_id`, 'must_be_positive', 'invalid product_id');
      ok.product = false;
    }
    const variantId = item.variantId ?? null;
    // 0 is proto3's "unset" for a plain int64; the field is `optional`, but old callers send 0.
    if (variantId !== null && variantId !== 0 && (!Number.isSafeInteger(variantId) || variantId < 0)) {
      v.add(`items[${index}].variant_id`, 'must_be_positive', 'invalid variant_id');
      ok.variant = false;
    }
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
      v.add(`items[${index}].quantity`, 'must_be_positive', 'quantity must be positive');
      ok.quantity = false;
    }
    if (ok.product && ok.variant && ok.quantity) {
      result.push({ productId: item.productId, variantId: variantId || null, quantity: item.quantity });
    }
  });
  v.throwIfAny();
  return result;
}

/** RollbackStock's key: `order_id is required for idempotency protection`; ≤ 255 chars (VARCHAR(255)). */
export function validateOrderId(orderId: string | null | undefined): string {
  const v = new Violations();
  const trimmed = orderId?.trim() ?? '';
  if (trimmed === '') v.add('order_id', 'required', 'order_id is required for idempotency protection');
  else checkOptionalText(v, 'order_id', trimmed, { max: 255 });
  v.throwIfAny();
  return trimmed;
}

/** `movement_type must be 'in', 'out', or 'adjustment'` (the original's text). */
export function checkMovementType(v: Violations, field: string, value: unknown): ApiMovementType | undefined {
  if (typeof value === 'string' && (API_MOVEMENT_TYPES as readonly string[]).includes(value)) {
    return value as ApiMovementType;
  }
  v.add(field, 'unknown_value', "movement_type must be 'in', 'out', or 'adjustment'");
  return undefined;
}

export interface MovementInput {
  readonly storefrontId: number;
  readonly productId: number;
  readonly variantId?: number | null;
  readonly movementType: string;
  readonly quantity: number;
  readonly reason?: string | null;
  readonly notes?: string | null;
  readonly userId: number;
}

export interface Movement extends StockTarget {
  readonly storefrontId: number;
  readonly movementType: ApiMovementType;
  readonly quantity: number;
  readonly reason: string | null;
  readonly notes: string | null;
  readonly userId: number;
}

/** RecordInventoryMovement input; all problems reported together. */
export function validateMovement(input: MovementInput): Movement {
  const v = new Violations();
  const storefrontId = checkEntityId(v, 'storefront_id', 'storefront', input.storefrontId);
  const productId = checkEntityId(v, 'product_id', 'product', input.productId);
  const variantId = input.variantId ? checkEntityId(v, 'variant_id', 'variant', input.variantId) : null;
  const movementType = checkMovementType(v, 'movement_type', input.movementType);
  const quantity = checkInt(v, 'quantity', input.quantity);
  const reason = checkOptionalText(v, 'reason', input.reason, { max: 255, trim: true });
  const notes = checkOptionalText(v, 'notes', input.notes, { max: 5000 });
  const userId = checkEntityId(v, 'user_id', 'user', input.userId);
  v.throwIfAny();
  return {
    storefrontId: storefrontId!,
    productId: productId!,
    variantId: variantId ?? null,
    movementType: movementType!,
    quantity: quantity!,
    reason: reason ?? null,
    notes: notes ?? null,
    userId: userId!,
  };
}

/** BatchUpdateStock: `items list cannot be empty`, `cannot update more than 1000 items at once`. */
export function checkBatchSize(count: number): void {
  if (count === 0) {
    throw new AppError('VALIDATION_FAILED', 'items list cannot be empty', {
      violations: [{ field: 'items', reason: 'required', message: 'items list cannot be empty' }],
    });
  }
  if (count > MAX_STOCK_ITEMS) {
    const message = `cannot update more than ${MAX_STOCK_ITEMS} items at once`;
    throw new AppError('VALIDATION_FAILED', message, {
      violations: [{ field: 'items', reason: 'too_many', message }],
    });
  }
}
