/**
 * Stock levels and movement rows of the inventory repository: the lock order of targets, and the row mappings.
 *
 * A product target is `listings.quantity` of a live b2c row; a variant target `b2c_product_variants.stock_quantity`
 * (flaw #7: the original read a `product_variants` table that did not exist). `stock_status` is always the stored
 * one, kept by the tables' triggers.
 */
import type { MovementRecord, StockLevel } from '../../ports/inventory-repository.ts';
import type { StockTarget } from '../../src/domain/stock.ts';
import { nextListingStockStatus, type StockStatus } from '../../src/domain/stock-status.ts';

export interface ProductLevelRow {
  readonly id: number;
  readonly quantity: number;
  readonly stock_status: string | null;
  readonly storefront_id: number;
}

export interface VariantLevelRow {
  readonly id: number;
  readonly product_id: number;
  readonly stock_quantity: number;
  readonly stock_status: string;
  readonly storefront_id: number;
}

export interface MovementRow {
  readonly id: number;
  readonly listing_id: number;
  readonly variant_id: number | null;
  readonly movement_type: string;
  readonly quantity: number;
  readonly order_id: string | null;
  readonly created_at: Date;
}

export const MOVEMENT_COLUMNS = [
  'id',
  'listing_id',
  'variant_id',
  'movement_type',
  'quantity',
  'order_id',
  'created_at',
];

/** Ascending (product id, variant id), the product's own stock (no variant) first. */
export function compareTargets(a: StockTarget, b: StockTarget): number {
  if (a.productId !== b.productId) return a.productId - b.productId;
  return (a.variantId ?? 0) - (b.variantId ?? 0);
}

/** Targets once each, in the lock order: ascending (product id, variant id), the product's own stock first. */
export function lockOrder(targets: readonly StockTarget[]): StockTarget[] {
  const unique = new Map<string, StockTarget>();
  for (const target of targets) {
    const variantId = target.variantId ?? null;
    unique.set(`${target.productId}:${variantId ?? ''}`, { productId: target.productId, variantId });
  }
  return [...unique.values()].sort(compareTargets);
}

export interface TargetRun {
  readonly kind: 'product' | 'variant';
  readonly targets: readonly StockTarget[];
}

/**
 * Cuts targets in lock order into runs of one kind, so each run is one `SELECT … ORDER BY … FOR UPDATE` and the
 * locks are still taken in the global order: [(1), (1,5), (1,7), (2)] → products [1], variants [(1,5),(1,7)],
 * products [2].
 */
export function runsOfOneKind(ordered: readonly StockTarget[]): TargetRun[] {
  const runs: { kind: TargetRun['kind']; targets: StockTarget[] }[] = [];
  for (const target of ordered) {
    const kind = target.variantId === null ? 'product' : 'variant';
    const last = runs.at(-1);
    if (last?.kind === kind) last.targets.push(target);
    else runs.push({ kind, targets: [target] });
  }
  return runs;
}

export function levelFromProductRow(row: ProductLevelRow): StockLevel {
  return {
    target: { productId: row.id, variantId: null },
    quantity: row.quantity,
    stockStatus: (row.stock_status as StockStatus | null) ?? nextListingStockStatus(null, row.quantity, 'b2c'),
    storefrontId: row.storefront_id,
  };
}

export function levelFromVariantRow(row: VariantLevelRow): StockLevel {
  return {
    target: { productId: row.product_id, variantId: row.id },
    quantity: row.stock_quantity,
    stockStatus: row.stock_status as StockStatus,
    storefrontId: row.storefront_id,
  };
}

export function movementFromRow(row: MovementRow): MovementRecord {
  return {
    id: row.id,
    target: { productId: row.listing_id, variantId: row.variant_id },
    type: row.movement_type,
    quantity: row.quantity,
    orderId: row.order_id,
    createdAt: row.created_at,
  };
}
