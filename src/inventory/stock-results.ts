/** Per-item answers of the stock RPCs (StockResult, StockUpdateResult). */

export interface StockResult {
  readonly productId: number;
  /** null: the product's own stock. */
  readonly variantId: number | null;
  readonly stockBefore: number;
  readonly stockAfter: number;
  readonly success: boolean;
  /** The failure text when `success` is false. */
  readonly error?: string;
}

/** DecrementStockResponse / RollbackStockResponse. Failures are in-band: the call itself succeeds. */
export interface StockOperationResult {
  readonly success: boolean;
  /** The overall failure text when `success` is false. */
  readonly error?: string;
  readonly results: readonly StockResult[];
}

/** What an item that was not applied reports when another item failed an all-or-nothing request. */
export const NOT_APPLIED = 'not applied: another item of the request failed';
