import type { StockLevel } from '../../ports/inventory-repository.ts';
import type { Principal } from '../../ports/principal.ts';
import { assertService } from '../domain/access.ts';
import { applyMovement, describeTarget, needsMovementRow, type StockTarget } from '../domain/stock.ts';
import { checkBatchSize } from '../domain/stock-request.ts';
import { checkEntityId, checkInt, checkOptionalText, Violations } from '../domain/validation.ts';
import type { CallOptions } from '../products/call-context.ts';
import { assertTimeForBatch, checkEveryHundred } from '../products/operation-deadline.ts';
import type { ProductWriteDeps } from '../products/product-write-deps.ts';
import type { StockResult } from './stock-results.ts';
import {
  crossedLowStock,
  enqueueStockChanges,
  invalidateStock,
  levelAfter,
  levelsByKey,
  targetKey,
  uniqueTargets,
} from './stock-targets.ts';

export interface StockUpdateItemInput {
  readonly productId: number;
  /** 0/unset: the product's own stock. */
  readonly variantId?: number | null;
  /** The new absolute stock, ≥ 0. */
  readonly quantity: number;
  /** Overrides the batch's reason for this item. */
  readonly reason?: string | null;
}

export interface BatchUpdateStockInput {
  readonly storefrontId: number;
  /** 1..1000. */
  readonly items: readonly StockUpdateItemInput[];
  readonly reason?: string | null;
  /** Audit only; 0/unset: none. */
  readonly userId?: number | null;
}

export interface BatchUpdateStockResult {
  readonly successfulCount: number;
  readonly failedCount: number;
  /** One per item, in input order. */
  readonly results: readonly StockResult[];
}

interface ValidItem extends StockTarget {
  readonly index: number;
  readonly quantity: number;
  readonly reason: string | null;
}

const VALIDATION_CANCELLED = 'operation cancelled during validation';
const UPDATE_CANCELLED = 'operation cancelled during batch update';

/**
 * BatchUpdateStock: sets absolute stock levels of a storefront's products and variants (flaw #7: the original
 * failed every variant item). Services only (flaw #2). Refuses to start with less than 5 s before the deadline
 * (DEADLINE_EXCEEDED `insufficient time remaining for batch operation`) and looks at the deadline and the
 * cancellation signal every 100 items; a cancelled call rolls everything back.
 *
 * Per-item failures go into `results` and do not stop the others: a bad item (`product ID must be greater than 0`,
 * `quantity cannot be negative`), or a target missing from the storefront (`product N not found`, `product N
 * variant M not found`). Each item that changes a level writes one `adjustment` movement (signed delta; an item
 * that sets the current value changes nothing and writes none, flaw #26), and its product is enqueued for
 * indexing. All checks happen before the writes, so per-item failures need no savepoints; a database failure
 * during the writes fails the whole call.
 */
export class BatchUpdateStock {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(
    caller: Principal | undefined,
    input: BatchUpdateStockInput,
    options: CallOptions = {},
  ): Promise<BatchUpdateStockResult> {
    assertService(caller);
    const { clock, metrics } = this.#deps;
    assertTimeForBatch(clock, options, 'batch');
    checkBatchSize(input.items.length);
    const head = new Violations();
    const storefrontId = checkEntityId(head, 'storefront_id', 'storefront', input.storefrontId);
    const batchReason = checkOptionalText(head, 'reason', input.reason, { max: 255, trim: true }) ?? null;
    const userId = input.userId ? checkEntityId(head, 'user_id', 'user', input.userId) : null;
    head.throwIfAny();

    const results: (StockResult | undefined)[] = new Array(input.items.length);
    const valid: ValidItem[] = [];
    input.items.forEach((item, index) => {
      checkEveryHundred(clock, options, index, VALIDATION_CANCELLED);
      const checked = checkItem(item, index, batchReason);
      if ('error' in checked) results[index] = checked.error;
      else valid.push(checked);
    });

    let outcome: { versions: Map<number, number>; movements: number; lowStock: number };
    try {
      outcome = await this.#deps.uow.run(async (tx) => {
        const levels = levelsByKey(await tx.inventory.lockStock(uniqueTargets(valid), { storefrontId: storefrontId! }));
        const running = new Map<string, StockLevel>();
        const versions = new Map<number, number>();
        let movements = 0;
        let lowStock = 0;
        for (const [position, item] of valid.entries()) {
          checkEveryHundred(clock, options, position, UPDATE_CANCELLED);
          const key = targetKey(item);
          const level = running.get(key) ?? levels.get(key);
          const target = { productId: item.productId, variantId: item.variantId };
          if (level === undefined) {
            const error = `${describeTarget(item)} not found`;
            results[item.index] = { ...target, stockBefore: 0, stockAfter: 0, success: false, error };
            continue;
          }
          const change = applyMovement(item, 'adjustment', level.quantity, item.quantity);
          if (needsMovementRow(change)) {
            const { productVersion } = await tx.inventory.writeStock({
              target,
              before: change.before,
              after: change.after,
              movement: { type: 'adjustment', reason: item.reason, userId },
            });
            versions.set(item.productId, Math.max(versions.get(item.productId) ?? 0, productVersion));
            movements++;
            if (crossedLowStock(level, change.after)) lowStock++;
            running.set(key, levelAfter(level, change.after));
          }
          results[item.index] = { ...target, stockBefore: change.before, stockAfter: change.after, success: true };
        }
        await enqueueStockChanges(tx, versions);
        return { versions, movements, lowStock };
      });
    } catch (error) {
      metrics.stockOperation('batch_update', 'error');
      throw error;
    }
    await invalidateStock(this.#deps, outcome.versions.keys());
    metrics.stockOperation('batch_update', 'success');
    for (let i = 0; i < outcome.movements; i++) metrics.movementRecorded('adjustment');
    for (let i = 0; i < outcome.lowStock; i++) metrics.lowStockReached();
    const all = results as StockResult[];
    const successfulCount = all.filter((result) => result.success).length;
    return { successfulCount, failedCount: all.length - successfulCount, results: all };
  }
}

/** One item's input checks; the first problem becomes its result. */
function checkItem(
  item: StockUpdateItemInput,
  index: number,
  batchReason: string | null,
): ValidItem | { error: StockResult } {
  const v = new Violations();
  const productId = checkEntityId(v, 'product_id', 'product', item.productId);
  const variantId = item.variantId ? checkEntityId(v, 'variant_id', 'variant', item.variantId) : null;
  const quantity = checkInt(v, 'quantity', item.quantity);
  const reason = checkOptionalText(v, 'reason', item.reason, { max: 255, trim: true });
  const problem = v.items[0];
  if (problem !== undefined) {
    const target = { productId: item.productId, variantId: item.variantId || null };
    return { error: { ...target, stockBefore: 0, stockAfter: 0, success: false, error: problem.message } };
  }
  return {
    index,
    productId: productId!,
    variantId: variantId ?? null,
    quantity: quantity!,
    reason: reason ?? batchReason,
  };
}
