import type { MovementType, StockTarget } from '../src/domain/stock.ts';
import type { StockStatus } from '../src/domain/stock-status.ts';

/**
 * Stock levels and the movement audit trail: DecrementStock, RollbackStock, CheckStockAvailability,
 * RecordInventoryMovement and BatchUpdateStock. The arithmetic (never negative, signed deltas) is the domain's
 * (`stock.ts`); this port locks, reads and writes.
 *
 * A product-level target (`variantId` null) is `listings.quantity` of a live b2c row; a variant target is
 * `b2c_product_variants.stock_quantity` of a variant that belongs to that product (the original read a table that
 * did not exist).
 *
 * Guarantees an adapter must keep:
 * - Must run inside `UnitOfWork.run` for {@link lockStock} and {@link writeStock}: the lock lasts until the
 *   transaction ends, and the write of a change and its movement row commit together or not at all.
 * - {@link lockStock} takes row locks in ascending (product id, variant id) order whatever the input order, so two
 *   orders touching the same products cannot deadlock.
 * - `stock_status` follows the new quantity (the schema's triggers; a memory adapter applies
 *   `stock-status.ts`), and `sold_count` changes by `soldDelta` on the same row.
 * - A movement row stores the signed delta; a change with delta 0 writes no movement row (CHECK quantity ≠ 0).
 * - At most one `rollback` movement per (order id, product, variant) (unique index): a second one →
 *   `ALREADY_EXISTS` (`inventory.rollback_exists`). Callers check {@link findOrderMovements} under the lock first,
 *   so this only fires on a bug.
 */
export interface InventoryRepository {
  /**
   * Locks and returns the current levels (`SELECT … FOR UPDATE`). Targets that do not exist (product missing,
   * deleted, c2c, or another storefront's when `storefrontId` is given; variant missing or another product's) are
   * absent from the result. Duplicated targets appear once.
   */
  lockStock(targets: readonly StockTarget[], options?: StockScope): Promise<StockLevel[]>;

  /** Current levels without locking (CheckStockAvailability); missing targets are absent. */
  readStock(targets: readonly StockTarget[], options?: StockScope): Promise<StockLevel[]>;

  /**
   * Sets a locked target's stock to `after`, adds `soldDelta` to its `sold_count`, and records the movement when
   * `after ≠ before`. `before` must equal the locked level (else `INTERNAL`: the caller skipped the lock).
   * Returns the product row's version after the write, for the index outbox entry (a variant write leaves the
   * product row, and so its version, as it was).
   */
  writeStock(write: StockWrite): Promise<{ readonly productVersion: number }>;

  /** Movements already recorded for this order and target, oldest first (RollbackStock's idempotency check). */
  findOrderMovements(orderId: string, target: StockTarget): Promise<MovementRecord[]>;
}

export interface StockScope {
  /** Only products of this storefront (RecordInventoryMovement, BatchUpdateStock). */
  readonly storefrontId?: number;
}

export interface StockLevel {
  readonly target: StockTarget;
  readonly quantity: number;
  readonly stockStatus: StockStatus;
  readonly storefrontId: number;
}

export interface StockWrite {
  readonly target: StockTarget;
  readonly before: number;
  readonly after: number;
  /** Added to `sold_count` (DecrementStock: +quantity; RollbackStock: −quantity). Default 0. */
  readonly soldDelta?: number;
  readonly movement: MovementDetails;
}

export interface MovementDetails {
  readonly type: MovementType;
  readonly reason?: string | null;
  readonly notes?: string | null;
  /** The acting user, for the audit trail. */
  readonly userId?: number | null;
  readonly orderId?: string | null;
  readonly metadata?: Readonly<Record<string, unknown>> | null;
}

export interface MovementRecord {
  readonly id: number;
  readonly target: StockTarget;
  readonly type: string;
  /** Signed delta. */
  readonly quantity: number;
  readonly orderId: string | null;
  readonly createdAt: Date;
}
