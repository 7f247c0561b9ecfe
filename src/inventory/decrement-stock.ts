import type { StockLevel } from '../../ports/inventory-repository.ts';
import type { Principal } from '../../ports/principal.ts';
import { assertService } from '../domain/access.ts';
import { isAppError } from '../domain/errors.ts';
import { applyMovement, describeTarget, type StockChange, type StockTarget } from '../domain/stock.ts';
import { type StockItem, type StockItemInput, validateStockItems } from '../domain/stock-request.ts';
import { checkOptionalText, Violations } from '../domain/validation.ts';
import type { ProductWriteDeps } from '../products/product-write-deps.ts';
import { NOT_APPLIED, type StockOperationResult, type StockResult } from './stock-results.ts';
import {
  crossedLowStock,
  enqueueStockChanges,
  invalidateStock,
  levelsByKey,
  targetKey,
  uniqueTargets,
} from './stock-targets.ts';

export interface DecrementStockInput {
  readonly items: readonly StockItemInput[];
  /** Recorded on the `sale` movements (the original only logged it), so RollbackStock can be audited against it. */
  readonly orderId?: string | null;
}

interface Rejected {
  readonly kind: 'rejected';
  /** The first failing item, its text, and the movement-failure metric reason. */
  readonly index: number;
  readonly message: string;
  readonly reason: string;
  readonly levels: ReadonlyMap<string, StockLevel>;
}

interface Applied {
  readonly kind: 'applied';
  readonly results: readonly StockResult[];
  /** Product id → version after its last write (outbox entries, cache invalidation). */
  readonly versions: ReadonlyMap<number, number>;
  readonly movements: number;
  readonly lowStock: number;
}

/**
 * DecrementStock, the order path: all or nothing under row locks (`SELECT … FOR UPDATE`, taken in ascending
 * target order, so concurrent orders cannot deadlock). Services only (flaw #2).
 *
 * Failures are in-band, with the original's texts: the call succeeds with `success=false` and `error`
 * (`no items provided`, `invalid product_id`, `quantity must be positive`, `failed to decrement stock for product N:
 * insufficient stock for product N: have X, need Y`, `failed to decrement stock for product N: product N not
 * found`). Every check runs before any write, so a rejected request writes nothing; every item is then reported
 * with `success=false` and its unchanged stock (the original marked rolled-back items `success=true`, flaw #9).
 *
 * On success each target gets one `sale` movement (with the order id), its `sold_count` raised and its
 * `stock_status` recomputed; variants act on `b2c_product_variants.stock_quantity` (flaw #7). A product named twice
 * is decremented by the sum, and each item reports its own step. Each product is enqueued for indexing (flaw
 * #12) and its cached listing dropped after the commit (flaw #14).
 */
export class DecrementStock {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: DecrementStockInput): Promise<StockOperationResult> {
    assertService(caller);
    const { metrics } = this.#deps;
    const parsed = parseRequest(input);
    if (typeof parsed === 'string') {
      metrics.stockOperation('decrement', 'rejected');
      return { success: false, error: parsed, results: [] };
    }
    const { items, orderId } = parsed;
    let outcome: Rejected | Applied;
    try {
      outcome = await this.#decrement(items, orderId);
    } catch (error) {
      metrics.stockOperation('decrement', 'error');
      throw error;
    }
    if (outcome.kind === 'rejected') {
      metrics.stockOperation('decrement', 'rejected');
      metrics.movementFailed(outcome.reason);
      return { success: false, error: outcome.message, results: unapplied(items, outcome) };
    }
    await invalidateStock(this.#deps, outcome.versions.keys());
    metrics.stockOperation('decrement', 'success');
    for (let i = 0; i < outcome.movements; i++) metrics.movementRecorded('sale');
    for (let i = 0; i < outcome.lowStock; i++) metrics.lowStockReached();
    return { success: true, results: outcome.results };
  }

  #decrement(items: readonly StockItem[], orderId: string | null): Promise<Rejected | Applied> {
    return this.#deps.uow.run(async (tx) => {
      const targets = uniqueTargets(items);
      const levels = levelsByKey(await tx.inventory.lockStock(targets));
      // Every check before any write: a rejected request leaves nothing behind, even without a rollback.
      const running = new Map<string, number>();
      const results: StockResult[] = [];
      for (const [index, item] of items.entries()) {
        const key = targetKey(item);
        const level = levels.get(key);
        if (level === undefined) {
          const reason = item.variantId === null ? 'product_not_found' : 'variant_not_found';
          return rejected(index, item, `${describeTarget(item)} not found`, reason, levels);
        }
        const step = tryDecrement(item, running.get(key) ?? level.quantity);
        if (typeof step === 'string') return rejected(index, item, step, 'insufficient_stock', levels);
        running.set(key, step.after);
        results.push({ ...target(item), stockBefore: step.before, stockAfter: step.after, success: true });
      }
      const versions = new Map<number, number>();
      let lowStock = 0;
      for (const stockTarget of targets) {
        const level = levels.get(targetKey(stockTarget))!;
        const after = running.get(targetKey(stockTarget))!;
        const { productVersion } = await tx.inventory.writeStock({
          target: stockTarget,
          before: level.quantity,
          after,
          soldDelta: level.quantity - after,
          movement: { type: 'sale', reason: 'sale', orderId },
        });
        versions.set(stockTarget.productId, Math.max(versions.get(stockTarget.productId) ?? 0, productVersion));
        if (crossedLowStock(level, after)) lowStock++;
      }
      await enqueueStockChanges(tx, versions);
      return { kind: 'applied', results, versions, movements: targets.length, lowStock };
    });
  }
}

function rejected(
  index: number,
  item: StockItem,
  detail: string,
  reason: string,
  levels: ReadonlyMap<string, StockLevel>,
): Rejected {
  const message = `failed to decrement stock for product ${item.productId}: ${detail}`;
  return { kind: 'rejected', index, message, reason, levels };
}

/** Every item of a rejected request: not applied, stock as it is. */
function unapplied(items: readonly StockItem[], rejection: Rejected): StockResult[] {
  return items.map((item, index) => {
    const stock = rejection.levels.get(targetKey(item))?.quantity ?? 0;
    const error = index === rejection.index ? rejection.message : NOT_APPLIED;
    return { ...target(item), stockBefore: stock, stockAfter: stock, success: false, error };
  });
}

function target(item: StockTarget): StockTarget {
  return { productId: item.productId, variantId: item.variantId };
}

/** The step, or the insufficient-stock text. */
function tryDecrement(item: StockItem, current: number): StockChange | string {
  try {
    return applyMovement(item, 'sale', current, item.quantity);
  } catch (error) {
    if (isAppError(error) && error.code === 'INSUFFICIENT_STOCK') return error.message;
    throw error;
  }
}

/** The validated request, or the in-band failure text. */
function parseRequest(input: DecrementStockInput): { items: StockItem[]; orderId: string | null } | string {
  try {
    const items = validateStockItems(input.items);
    const v = new Violations();
    const orderId = checkOptionalText(v, 'order_id', input.orderId, { max: 255, trim: true });
    v.throwIfAny();
    return { items, orderId: orderId ?? null };
  } catch (error) {
    if (isAppError(error) && error.code === 'VALIDATION_FAILED') return error.message;
    throw error;
  }
}
