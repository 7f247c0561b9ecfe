import type { Knex } from 'knex';
import type {
  InventoryRepository,
  MovementRecord,
  StockLevel,
  StockScope,
  StockWrite,
} from '../../ports/inventory-repository.ts';
import { AppError } from '../../src/domain/errors.ts';
import { describeTarget, insufficientStock, type StockTarget } from '../../src/domain/stock.ts';
import {
  compareTargets,
  levelFromProductRow,
  levelFromVariantRow,
  lockOrder,
  MOVEMENT_COLUMNS,
  type MovementRow,
  movementFromRow,
  type ProductLevelRow,
  runsOfOneKind,
  type VariantLevelRow,
} from './inventory-rows.ts';
import { sqlSessionOf } from './product-repository.ts';
import { whereLiveProduct } from './product-rows.ts';
import type { SqlSession } from './sql-session.ts';
import { VARIANTS_TABLE } from './variant-rows.ts';

/**
 * The movement row of a stock write, inserted by the same statement as the stock change (so they commit together
 * even on a plain knex), and only when the change is not 0 (the table's CHECK quantity ≠ 0).
 */
const MOVEMENT_CTE = `movement AS (
  INSERT INTO inventory_movements
    (listing_id, variant_id, movement_type, quantity, reason, notes, user_id, order_id, metadata)
  SELECT target.listing_id, target.variant_id, ?, ?::int, ?, ?, ?::bigint, ?, ?::jsonb FROM target WHERE ?::int <> 0
)`;

/** Sets a live product's quantity when it still is `before`; returns the row's new version. */
const WRITE_PRODUCT_STOCK = `WITH target AS (
  UPDATE listings SET quantity = ?::int, sold_count = GREATEST(sold_count + ?::int, 0)
  WHERE id = ? AND source_type = 'b2c' AND is_deleted = false AND quantity = ?::int
  RETURNING id AS listing_id, NULL::bigint AS variant_id, version
), ${MOVEMENT_CTE}
SELECT version FROM target`;

/** Sets a variant's stock when it still is `before` and its product is live; returns the product's version. */
const WRITE_VARIANT_STOCK = `WITH target AS (
  UPDATE ${VARIANTS_TABLE} v SET stock_quantity = ?::int, sold_count = GREATEST(v.sold_count + ?::int, 0)
  FROM listings l
  WHERE v.id = ? AND v.product_id = ? AND v.stock_quantity = ?::int
    AND l.id = v.product_id AND l.source_type = 'b2c' AND l.is_deleted = false
  RETURNING l.id AS listing_id, v.id::bigint AS variant_id, l.version
), ${MOVEMENT_CTE}
SELECT version FROM target`;

function productNotFound(target: StockTarget): AppError {
  return new AppError('PRODUCT_NOT_FOUND', `product ${target.productId} not found`, {
    reason: 'inventory.product_not_found',
    details: { productId: target.productId },
  });
}

function variantNotFound(target: StockTarget): AppError {
  return new AppError('VARIANT_NOT_FOUND', `variant ${target.variantId} of product ${target.productId} not found`, {
    reason: 'inventory.variant_not_found',
    details: { productId: target.productId, variantId: target.variantId },
  });
}

/**
 * InventoryRepository on knex, the same SQL on PostgreSQL 15 and PGlite.
 *
 * Locks are row locks taken by `SELECT … ORDER BY … FOR UPDATE` in ascending (product id, variant id) order, so
 * concurrent orders queue instead of deadlocking; a write is one statement that changes the stock only if it still
 * is the locked level (`quantity = before`) and inserts the movement row with it. Built on a transaction (the unit
 * of work's scope) every call runs in it; {@link lockStock} refuses to run outside one.
 */
export class KnexInventoryRepository implements InventoryRepository {
  readonly #session: SqlSession;

  /** A plain knex (each call runs alone), a transaction, or the unit of work's session (sql-repositories.ts). */
  constructor(db: Knex | Knex.Transaction | SqlSession) {
    this.#session = sqlSessionOf(db);
  }

  lockStock(targets: readonly StockTarget[], options: StockScope = {}): Promise<StockLevel[]> {
    return this.#session.query(async (db) => {
      if (!db.isTransaction) {
        const message = 'lockStock must run inside a transaction (UnitOfWork.run): outside one the lock ends at once';
        throw new AppError('INTERNAL', message);
      }
      const levels: StockLevel[] = [];
      for (const run of runsOfOneKind(lockOrder(targets))) {
        levels.push(...(await readLevels(db, run.kind, run.targets, options, true)));
      }
      return levels;
    });
  }

  readStock(targets: readonly StockTarget[], options: StockScope = {}): Promise<StockLevel[]> {
    return this.#session.query(async (db) => {
      const ordered = lockOrder(targets);
      const products = ordered.filter((target) => target.variantId === null);
      const variants = ordered.filter((target) => target.variantId !== null);
      const levels = [
        ...(await readLevels(db, 'product', products, options, false)),
        ...(await readLevels(db, 'variant', variants, options, false)),
      ];
      return levels.sort((a, b) => compareTargets(a.target, b.target));
    });
  }

  async writeStock(write: StockWrite): Promise<{ readonly productVersion: number }> {
    const { target, before, after } = write;
    const soldDelta = write.soldDelta ?? 0;
    if (![before, after, soldDelta].every(Number.isSafeInteger)) {
      throw new AppError('INTERNAL', `stock write of ${describeTarget(target)} needs integers: ${before} → ${after}`);
    }
    if (after < 0) throw insufficientStock(target, before, before - after);
    const { movement } = write;
    if (movement.type === 'rollback' && !movement.orderId) {
      throw new AppError('VALIDATION_FAILED', 'order_id is required for idempotency protection', {
        violations: [
          { field: 'order_id', reason: 'required', message: 'order_id is required for idempotency protection' },
        ],
      });
    }
    const delta = after - before;
    const movementBindings = [
      movement.type,
      delta,
      movement.reason ?? null,
      movement.notes ?? null,
      movement.userId ?? null,
      movement.orderId ?? null,
      movement.metadata == null ? null : JSON.stringify(movement.metadata),
      delta,
    ];
    return this.#session.query(async (db) => {
      const result =
        target.variantId === null
          ? await db.raw<{ rows: { version: number }[] }>(WRITE_PRODUCT_STOCK, [
              after,
              soldDelta,
              target.productId,
              before,
              ...movementBindings,
            ])
          : await db.raw<{ rows: { version: number }[] }>(WRITE_VARIANT_STOCK, [
              after,
              soldDelta,
              target.variantId,
              target.productId,
              before,
              ...movementBindings,
            ]);
      const [row] = result.rows;
      if (row === undefined) throw await whyNotWritten(db, target, before);
      return { productVersion: row.version };
    });
  }

  findOrderMovements(orderId: string, target: StockTarget): Promise<MovementRecord[]> {
    return this.#session.query(async (db) => {
      const rows = (await db('inventory_movements')
        .select(MOVEMENT_COLUMNS)
        .where({ order_id: orderId, listing_id: target.productId })
        // The rollback index's key: "no variant" is variant 0.
        .andWhereRaw('COALESCE(variant_id, 0) = ?', [target.variantId ?? 0])
        .orderBy(['created_at', 'id'])) as MovementRow[];
      return rows.map(movementFromRow);
    });
  }
}

/** Levels of targets of one kind, in lock order; with `lock`, each returned row is locked (FOR UPDATE). */
async function readLevels(
  db: Knex,
  kind: 'product' | 'variant',
  targets: readonly StockTarget[],
  scope: StockScope,
  lock: boolean,
): Promise<StockLevel[]> {
  if (targets.length === 0) return [];
  if (kind === 'product') {
    const query = whereLiveProduct(
      db('listings')
        .select('listings.id', 'listings.quantity', 'listings.stock_status', 'listings.storefront_id')
        .whereIn(
          'listings.id',
          targets.map((target) => target.productId),
        ),
      scope.storefrontId,
    ).orderBy('listings.id');
    if (lock) query.forUpdate();
    return ((await query) as ProductLevelRow[]).map(levelFromProductRow);
  }
  const query = whereLiveProduct(
    db({ v: VARIANTS_TABLE })
      .join('listings', 'listings.id', 'v.product_id')
      .select('v.id', 'v.product_id', 'v.stock_quantity', 'v.stock_status', 'listings.storefront_id')
      .whereIn(
        ['v.product_id', 'v.id'],
        targets.map((target) => [target.productId, target.variantId as number]),
      ),
    scope.storefrontId,
  ).orderBy(['v.product_id', 'v.id']);
  // Only the variant rows: the product row is not written by a variant's stock change.
  if (lock) query.forUpdate('v');
  return ((await query) as VariantLevelRow[]).map(levelFromVariantRow);
}

/** Why a stock write changed no row: the target is gone, or the caller did not write from the locked level. */
async function whyNotWritten(db: Knex, target: StockTarget, before: number): Promise<AppError> {
  const product = (await whereLiveProduct(db('listings').where('listings.id', target.productId)).first(
    'listings.quantity',
  )) as { quantity: number } | undefined;
  if (product === undefined) return productNotFound(target);
  let current = product.quantity;
  if (target.variantId !== null) {
    const variant = (await db(VARIANTS_TABLE)
      .where({ id: target.variantId, product_id: target.productId })
      .first('stock_quantity')) as { stock_quantity: number } | undefined;
    if (variant === undefined) return variantNotFound(target);
    current = variant.stock_quantity;
  }
  return new AppError(
    'INTERNAL',
    `stock of ${describeTarget(target)} is ${current}, not the ${before} it was written from: lock it first`,
    { details: { ...target, current, before } },
  );
}
