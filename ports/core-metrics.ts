/**
 * Business events the core reports for monitoring. Adapters turn them into metrics (Prometheus) or
 * drop them (tests). Implementations must be cheap and must never throw: monitoring cannot fail a
 * request. No method takes an unbounded identifier (listing, product or user id) on purpose.
 */
export interface CoreMetrics {
  listingWritten(kind: 'created' | 'updated' | 'deleted'): void;
  listingsSearched(engine: string): void;
  /** A stock operation finished: `operation` is decrement, rollback, check, batch_update or movement. */
  stockOperation(operation: string, status: 'success' | 'error' | 'rejected'): void;
  movementRecorded(movementType: string): void;
  /** `reason`: product_not_found, variant_not_found, insufficient_stock or unknown. */
  movementFailed(reason: string): void;
  productViewed(): void;
  productViewFailed(): void;
  /** A stock change crossed down to or below its low-stock threshold. */
  lowStockReached(): void;
  /** How long a database operation of the named kind took, in seconds. */
  databaseQuery(operation: string, seconds: number): void;
  /** A cache lookup of `cacheType` (listing, search, negative) hit or missed; errors degrade to a miss. */
  cacheLookup(cacheType: string, outcome: 'hit' | 'miss' | 'error'): void;
  /** A failure inside a component that did not reach a caller (worker, cache, limiter). */
  componentError(component: string, errorType: string): void;
}

/** For tests and commands that do not export metrics. */
export const NO_METRICS: CoreMetrics = {
  listingWritten() {},
  listingsSearched() {},
  stockOperation() {},
  movementRecorded() {},
  movementFailed() {},
  productViewed() {},
  productViewFailed() {},
  lowStockReached() {},
  databaseQuery() {},
  cacheLookup() {},
  componentError() {},
};
