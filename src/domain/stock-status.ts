/**
 * `stock_status`, recomputed on every stock change (the original never produced `low_stock` and never recomputed).
 *
 * `out_of_stock` at 0, `low_stock` at 1..threshold, `in_stock` above. The threshold is the variant's
 * `low_stock_threshold` (DB default 5); product rows have no threshold column and use the same default.
 * `discontinued` exists only on `listings` rows and is set by hand: a stock change keeps it.
 */
export const STOCK_STATUSES = ['in_stock', 'out_of_stock', 'low_stock', 'discontinued'] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

export const VARIANT_STOCK_STATUSES = ['in_stock', 'low_stock', 'out_of_stock'] as const;
export type VariantStockStatus = (typeof VARIANT_STOCK_STATUSES)[number];

export const DEFAULT_LOW_STOCK_THRESHOLD = 5;

export function computeStockStatus(
  quantity: number,
  threshold: number | null = DEFAULT_LOW_STOCK_THRESHOLD,
): VariantStockStatus {
  if (quantity <= 0) return 'out_of_stock';
  if (quantity <= (threshold ?? DEFAULT_LOW_STOCK_THRESHOLD)) return 'low_stock';
  return 'in_stock';
}

/** The status a `listings` row gets after its quantity became `quantity`; `discontinued` stays. */
export function nextListingStockStatus(current: StockStatus | null, quantity: number): StockStatus {
  if (current === 'discontinued') return 'discontinued';
  return computeStockStatus(quantity);
}

/**
 * Product-level status. Without variants it follows the product's own quantity; with variants it follows what a
 * buyer can actually buy, the sum of the active variants' stock, against the default threshold.
 */
export function productStockStatus(
  current: StockStatus | null,
  quantity: number,
  variants: readonly { readonly stockQuantity: number; readonly isActive: boolean }[] = [],
): StockStatus {
  if (variants.length === 0) return nextListingStockStatus(current, quantity);
  if (current === 'discontinued') return 'discontinued';
  const total = variants.filter((variant) => variant.isActive).reduce((sum, variant) => sum + variant.stockQuantity, 0);
  return computeStockStatus(total);
}
