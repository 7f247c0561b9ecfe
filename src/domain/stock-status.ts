/**
 * `stock_status`, recomputed on every stock change (the original never produced `low_stock` and never recomputed).
 * The schema's triggers apply the same rules, so a stored row and these functions always agree.
 *
 * - Variants: `out_of_stock` at 0, `low_stock` at 1..`low_stock_threshold` (DB default 5; NULL = no low state),
 *   `in_stock` above.
 * - Products (b2c rows): the same with a threshold of 5 (products have no threshold column).
 * - C2C listings: only `out_of_stock` / `in_stock`; a private seller's "low stock" means nothing.
 * - `discontinued` exists only on `listings` rows and is set by hand: a stock change keeps it.
 */
import type { SourceType } from './listing-status.ts';

export const STOCK_STATUSES = ['in_stock', 'out_of_stock', 'low_stock', 'discontinued'] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

export const VARIANT_STOCK_STATUSES = ['in_stock', 'low_stock', 'out_of_stock'] as const;
export type VariantStockStatus = (typeof VARIANT_STOCK_STATUSES)[number];

export const DEFAULT_LOW_STOCK_THRESHOLD = 5;

/** `threshold` null or 0 = no `low_stock` state. */
export function computeStockStatus(quantity: number, threshold: number | null): VariantStockStatus {
  if (quantity <= 0) return 'out_of_stock';
  if (quantity <= (threshold ?? 0)) return 'low_stock';
  return 'in_stock';
}

/** The status a `listings` row gets after its quantity became `quantity`; `discontinued` stays. */
export function nextListingStockStatus(current: StockStatus | null, quantity: number, source: SourceType): StockStatus {
  if (current === 'discontinued') return 'discontinued';
  return computeStockStatus(quantity, source === 'b2c' ? DEFAULT_LOW_STOCK_THRESHOLD : null);
}
