/**
 * Small pieces the stock use cases share: target keys, the service-role check, the outbox entries and cache
 * invalidation of stock writes, and the low-stock signal.
 */
import type { StockLevel } from '../../ports/inventory-repository.ts';
import type { TransactionScope } from '../../ports/unit-of-work.ts';
import type { StockTarget } from '../domain/stock.ts';
import { computeStockStatus, DEFAULT_LOW_STOCK_THRESHOLD, nextListingStockStatus } from '../domain/stock-status.ts';
import { type CacheInvalidationDeps, invalidateAfterWrite } from '../products/cache-invalidation.ts';

export function targetKey(target: StockTarget): string {
  return `${target.productId}:${target.variantId ?? 0}`;
}

/** Distinct targets, ascending (product id, variant id): the order locks are taken in. */
export function uniqueTargets(targets: readonly StockTarget[]): StockTarget[] {
  const byKey = new Map<string, StockTarget>();
  for (const target of targets) {
    byKey.set(targetKey(target), { productId: target.productId, variantId: target.variantId });
  }
  return [...byKey.values()].sort((a, b) => a.productId - b.productId || (a.variantId ?? 0) - (b.variantId ?? 0));
}

export function levelsByKey(levels: readonly StockLevel[]): Map<string, StockLevel> {
  return new Map(levels.map((level) => [targetKey(level.target), level]));
}

/**
 * Whether a change from `level` to `after` crossed down into low stock. Products use the fixed threshold of 5
 * (stock-status.ts); the port does not return a variant's own threshold, so a variant is judged by its status
 * before (`in_stock`) and the same default threshold: a variant with a custom threshold may be signalled early
 * or late.
 */
export function crossedLowStock(level: StockLevel, after: number): boolean {
  return level.stockStatus === 'in_stock' && after < level.quantity && after <= DEFAULT_LOW_STOCK_THRESHOLD;
}

/** The level after a write to `after`, for a later item of the same request naming the same target. */
export function levelAfter(level: StockLevel, after: number): StockLevel {
  const stockStatus =
    level.target.variantId === null
      ? nextListingStockStatus(level.stockStatus, after, 'b2c')
      : computeStockStatus(after, DEFAULT_LOW_STOCK_THRESHOLD);
  return { ...level, quantity: after, stockStatus };
}

/** One `update` outbox entry per product whose stock changed, at the version after its last write. */
export async function enqueueStockChanges(tx: TransactionScope, versions: ReadonlyMap<number, number>): Promise<void> {
  if (versions.size === 0) return;
  await tx.outbox.enqueue(
    [...versions].map(([listingId, version]) => ({ listingId, version, operation: 'update' as const })),
  );
}

/** After the commit: cached listings of these products, and search (stock and stock_status are shown there). */
export function invalidateStock(deps: CacheInvalidationDeps, productIds: Iterable<number>): Promise<void> {
  return invalidateAfterWrite(deps, [...productIds]);
}
