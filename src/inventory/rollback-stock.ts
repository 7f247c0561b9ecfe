import type { MovementRecord, StockLevel } from '../../ports/inventory-repository.ts';
import type { Principal } from '../../ports/principal.ts';
import type { TransactionScope } from '../../ports/unit-of-work.ts';
import { assertService } from '../domain/access.ts';
import { isAppError } from '../domain/errors.ts';
import { applyMovement, describeTarget, type StockTarget } from '../domain/stock.ts';
import { type StockItem, type StockItemInput, validateOrderId, validateStockItems } from '../domain/stock-request.ts';
import type { ProductWriteDeps } from '../products/product-write-deps.ts';
import type { StockOperationResult, StockResult } from './stock-results.ts';
import { enqueueStockChanges, invalidateStock, levelsByKey, targetKey, uniqueTargets } from './stock-targets.ts';

export interface RollbackStockInput {
  readonly items: readonly StockItemInput[];
  /** Required: the idempotency key (`order_id is required for idempotency protection`). */
  readonly orderId?: string | null;
}

interface TargetOutcome {
  /** Per item of this target, in input order: before/after, or the failure text. */
  readonly steps: Map<number, { before: number; after: number } | string>;
  readonly version?: number;
  readonly movement: boolean;
}

/**
 * RollbackStock: gives back what an order took, idempotent per (order_id, product, variant) (flaw #8; the original
 * always failed). Services only (flaw #2).
 *
 * Under the row lock, a target that already has a `rollback` movement for this order is reported as a success and
 * left alone: a retried call restores nothing and still answers `success=true`, each item with its current stock
 * as both before and after (the port returns no stock figures of the earlier call, so "nothing changed now" is the
 * honest report). Otherwise the items of the target are added back (one `rollback` movement with the order id
 * for the sum), and `sold_count` goes down by what this order's `sale` movements recorded, at most the amount
 * given back (stock decremented without an order id is restored, but not un-sold).
 *
 * Failures are per item, in `results` (`product N not found`, `product N variant M not found`); the other items
 * still commit, and `success` is true only when every item succeeded. Bad input (`order_id is required for
 * idempotency protection`, `no items provided`, …) is in-band: `success=false`, `error`, no results.
 */
export class RollbackStock {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: RollbackStockInput): Promise<StockOperationResult> {
    assertService(caller);
    const { metrics } = this.#deps;
    const parsed = parseRequest(input);
    if (typeof parsed === 'string') {
      metrics.stockOperation('rollback', 'rejected');
      return { success: false, error: parsed, results: [] };
    }
    const { items, orderId } = parsed;
    let outcomes: Map<string, TargetOutcome>;
    try {
      outcomes = await this.#deps.uow.run(async (tx) => {
        const targets = uniqueTargets(items);
        const levels = levelsByKey(await tx.inventory.lockStock(targets));
        const result = new Map<string, TargetOutcome>();
        for (const target of targets) {
          const key = targetKey(target);
          const mine = items.flatMap((item, index) => (targetKey(item) === key ? [{ index, item }] : []));
          result.set(key, await rollbackTarget(tx, orderId, target, levels.get(key), mine));
        }
        const versions = new Map<number, number>();
        for (const [key, outcome] of result) {
          if (outcome.version === undefined) continue;
          const productId = Number(key.split(':')[0]);
          versions.set(productId, Math.max(versions.get(productId) ?? 0, outcome.version));
        }
        await enqueueStockChanges(tx, versions);
        return result;
      });
    } catch (error) {
      metrics.stockOperation('rollback', 'error');
      throw error;
    }
    const results = items.map((item, index): StockResult => {
      const step = outcomes.get(targetKey(item))!.steps.get(index)!;
      const target = { productId: item.productId, variantId: item.variantId };
      if (typeof step === 'string') return { ...target, stockBefore: 0, stockAfter: 0, success: false, error: step };
      return { ...target, stockBefore: step.before, stockAfter: step.after, success: true };
    });
    const changed = [...outcomes].filter(([, outcome]) => outcome.movement).map(([key]) => Number(key.split(':')[0]));
    await invalidateStock(this.#deps, changed);
    const failed = results.find((result) => !result.success);
    metrics.stockOperation('rollback', failed === undefined ? 'success' : 'rejected');
    for (const _ of changed) metrics.movementRecorded('rollback');
    if (failed === undefined) return { success: true, results };
    return { success: false, error: failed.error!, results };
  }
}

async function rollbackTarget(
  tx: TransactionScope,
  orderId: string,
  target: StockTarget,
  level: StockLevel | undefined,
  items: readonly { readonly index: number; readonly item: StockItem }[],
): Promise<TargetOutcome> {
  const steps: TargetOutcome['steps'] = new Map();
  if (level === undefined) {
    for (const { index } of items) steps.set(index, `${describeTarget(target)} not found`);
    return { steps, movement: false };
  }
  const history = await tx.inventory.findOrderMovements(orderId, target);
  if (history.some((movement) => movement.type === 'rollback')) {
    for (const { index } of items) steps.set(index, { before: level.quantity, after: level.quantity });
    return { steps, movement: false };
  }
  let current = level.quantity;
  for (const { index, item } of items) {
    try {
      const change = applyMovement(target, 'rollback', current, item.quantity);
      steps.set(index, { before: change.before, after: change.after });
      current = change.after;
    } catch (error) {
      if (!isAppError(error)) throw error;
      steps.set(index, error.message);
    }
  }
  if (current === level.quantity) return { steps, movement: false };
  const { productVersion } = await tx.inventory.writeStock({
    target,
    before: level.quantity,
    after: current,
    soldDelta: -Math.min(soldForOrder(history), current - level.quantity),
    movement: { type: 'rollback', reason: 'rollback', orderId },
  });
  return { steps, version: productVersion, movement: true };
}

/** Units this order's `sale` movements took from the target (deltas are negative). */
function soldForOrder(history: readonly MovementRecord[]): number {
  return history.filter((movement) => movement.type === 'sale').reduce((sum, movement) => sum - movement.quantity, 0);
}

function parseRequest(input: RollbackStockInput): { items: StockItem[]; orderId: string } | string {
  try {
    const orderId = validateOrderId(input.orderId);
    return { items: validateStockItems(input.items), orderId };
  } catch (error) {
    if (isAppError(error) && error.code === 'VALIDATION_FAILED') return error.message;
    throw error;
  }
}
