import type { Principal } from '../../ports/principal.ts';
import { assertService } from '../domain/access.ts';
import { AppError, isAppError } from '../domain/errors.ts';
import { applyMovement, describeTarget, type StockTarget } from '../domain/stock.ts';
import { type MovementInput, validateMovement } from '../domain/stock-request.ts';
import type { ProductWriteDeps } from '../products/product-write-deps.ts';
import { crossedLowStock, enqueueStockChanges, invalidateStock, levelsByKey, targetKey } from './stock-targets.ts';

export interface RecordInventoryMovementResult {
  readonly success: true;
  readonly stockBefore: number;
  readonly stockAfter: number;
}

/**
 * RecordInventoryMovement: `in` adds, `out` subtracts, `adjustment` sets the absolute value, on a product of the
 * named storefront or one of its variants (flaw #7: the original rejected variants). Services only (flaw #2);
 * `user_id` is recorded for the audit trail. Errors are statuses: NOT_FOUND `inventory.product_not_found` /
 * `inventory.variant_not_found`, FAILED_PRECONDITION `inventory.insufficient_stock` when the result would be
 * negative (the original answered INTERNAL). The movement row stores the signed change; a change of 0 writes none
 * (an adjustment to the current value is a no-op success).
 */
export class RecordInventoryMovement {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: MovementInput): Promise<RecordInventoryMovementResult> {
    assertService(caller);
    const { metrics } = this.#deps;
    const movement = validateMovement(input);
    const target: StockTarget = { productId: movement.productId, variantId: movement.variantId };
    const product: StockTarget = { productId: movement.productId, variantId: null };
    let outcome: { before: number; after: number; lowStock: boolean };
    try {
      outcome = await this.#deps.uow.run(async (tx) => {
        const wanted = target.variantId === null ? [product] : [product, target];
        const levels = levelsByKey(await tx.inventory.lockStock(wanted, { storefrontId: movement.storefrontId }));
        if (!levels.has(targetKey(product))) throw notFound('PRODUCT_NOT_FOUND', product);
        const level = levels.get(targetKey(target));
        if (level === undefined) throw notFound('VARIANT_NOT_FOUND', target);
        const change = applyMovement(target, movement.movementType, level.quantity, movement.quantity);
        if (change.delta !== 0) {
          const { productVersion } = await tx.inventory.writeStock({
            target,
            before: change.before,
            after: change.after,
            movement: {
              type: movement.movementType,
              reason: movement.reason,
              notes: movement.notes,
              userId: movement.userId,
            },
          });
          await enqueueStockChanges(tx, new Map([[target.productId, productVersion]]));
        }
        return { before: change.before, after: change.after, lowStock: crossedLowStock(level, change.after) };
      });
    } catch (error) {
      metrics.stockOperation('movement', isAppError(error) && error.code !== 'INTERNAL' ? 'rejected' : 'error');
      metrics.movementFailed(failureReason(error));
      throw error;
    }
    if (outcome.after !== outcome.before) await invalidateStock(this.#deps, [target.productId]);
    metrics.stockOperation('movement', 'success');
    metrics.movementRecorded(movement.movementType);
    if (outcome.lowStock) metrics.lowStockReached();
    return { success: true, stockBefore: outcome.before, stockAfter: outcome.after };
  }
}

function notFound(code: 'PRODUCT_NOT_FOUND' | 'VARIANT_NOT_FOUND', target: StockTarget): AppError {
  const reason = code === 'PRODUCT_NOT_FOUND' ? 'inventory.product_not_found' : 'inventory.variant_not_found';
  return new AppError(code, `${describeTarget(target)} not found`, {
    reason,
    details: { productId: target.productId, variantId: target.variantId },
  });
}

function failureReason(error: unknown): string {
  if (!isAppError(error)) return 'unknown';
  if (error.code === 'PRODUCT_NOT_FOUND') return 'product_not_found';
  if (error.code === 'VARIANT_NOT_FOUND') return 'variant_not_found';
  if (error.code === 'INSUFFICIENT_STOCK') return 'insufficient_stock';
  return 'unknown';
}
