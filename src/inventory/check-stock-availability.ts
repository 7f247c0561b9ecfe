import type { CoreMetrics } from '../../ports/core-metrics.ts';
import type { InventoryRepository } from '../../ports/inventory-repository.ts';
import type { Principal } from '../../ports/principal.ts';
import { assertService } from '../domain/access.ts';
import { isAvailable } from '../domain/stock.ts';
import { type StockItemInput, validateStockItems } from '../domain/stock-request.ts';
import { levelsByKey, targetKey, uniqueTargets } from './stock-targets.ts';

export interface CheckStockAvailabilityDeps {
  /** The plain repository: a read without locks. */
  readonly inventory: InventoryRepository;
  readonly metrics: CoreMetrics;
}

export interface CheckStockAvailabilityInput {
  readonly items: readonly StockItemInput[];
}

export interface StockAvailability {
  readonly productId: number;
  readonly variantId: number | null;
  readonly requestedQuantity: number;
  /** 0 for a missing product or variant. */
  readonly availableQuantity: number;
  readonly isAvailable: boolean;
}

export interface CheckStockAvailabilityResult {
  readonly allAvailable: boolean;
  readonly items: readonly StockAvailability[];
}

/**
 * CheckStockAvailability: read-only, no locks, so the answer may be stale by the time an order decrements (the
 * decrement re-checks under its lock). Services only, like every stock RPC (flaw #2). Bad input is a real
 * VALIDATION_FAILED with DecrementStock's texts; a missing product or variant has 0 available (flaw #7: variants
 * are read from `b2c_product_variants`). A target named twice must cover the sum of its items: each item is
 * judged against what the items before it already asked for, so `all_available` means the whole order fits.
 */
export class CheckStockAvailability {
  readonly #deps: CheckStockAvailabilityDeps;

  constructor(deps: CheckStockAvailabilityDeps) {
    this.#deps = deps;
  }

  async execute(
    caller: Principal | undefined,
    input: CheckStockAvailabilityInput,
  ): Promise<CheckStockAvailabilityResult> {
    assertService(caller);
    const items = validateStockItems(input.items);
    let levels: Awaited<ReturnType<InventoryRepository['readStock']>>;
    try {
      levels = await this.#deps.inventory.readStock(uniqueTargets(items));
    } catch (error) {
      this.#deps.metrics.stockOperation('check', 'error');
      throw error;
    }
    const byKey = levelsByKey(levels);
    const asked = new Map<string, number>();
    const result = items.map((item): StockAvailability => {
      const key = targetKey(item);
      const available = byKey.get(key)?.quantity ?? null;
      const total = (asked.get(key) ?? 0) + item.quantity;
      asked.set(key, total);
      return {
        productId: item.productId,
        variantId: item.variantId,
        requestedQuantity: item.quantity,
        availableQuantity: available ?? 0,
        isAvailable: isAvailable(available, total),
      };
    });
    this.#deps.metrics.stockOperation('check', 'success');
    return { allAvailable: result.every((item) => item.isAvailable), items: result };
  }
}
