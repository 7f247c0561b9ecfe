import type { Knex } from 'knex';
import type {
  BulkDeleteRequest,
  BulkDeleteResult,
  ProductReadOptions,
  ProductRepository,
  ProductStats,
} from '../../ports/product-repository.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { OffsetPage } from '../../src/domain/pagination.ts';
import type { Product } from '../../src/domain/product.ts';
import type { NewVariant, ProductVariant, VariantUpdate } from '../../src/domain/product-variant.ts';
import { variantNotFound } from '../../src/domain/variant-rules.ts';
import {
  decimalTextToMinorUnits,
  PRODUCT_COLUMNS,
  type ProductRow,
  productFromRow,
  whereLiveProduct,
} from './product-rows.ts';
import { PlainSqlSession, type SqlSession, TransactionSqlSession } from './sql-session.ts';
import {
  VARIANTS_TABLE,
  type VariantRow,
  variantFromRow,
  variantInsertRow,
  variantUpdateColumns,
} from './variant-rows.ts';

/**
 * The session a repository runs on (sql-session.ts: error translation, failed-statement tracking, retries): the unit
 * of work's own session as it is; a transaction or a plain knex wrapped in one.
 */
export function sqlSessionOf(db: Knex | Knex.Transaction | SqlSession): SqlSession {
  if (typeof db !== 'function') return db;
  return db.isTransaction ? new TransactionSqlSession(db as Knex.Transaction) : new PlainSqlSession(db);
}

/** A missing parent of a variant insert, in the words of the variant RPCs. */
function variantParentMissing(error: unknown): never {
  if (error instanceof AppError && error.details.constraint === 'fk_b2c_product_variants_product_id') {
    throw new AppError('PRODUCT_NOT_FOUND', 'product not found', {
      reason: 'variants.product_not_found',
      cause: error,
    });
  }
  throw error;
}

/** A PostgreSQL array literal of ids, for `= ANY(?::bigint[])` (knex expands a JS array into a list). */
function idArray(ids: readonly number[]): string {
  if (!ids.every(Number.isSafeInteger)) throw new AppError('INTERNAL', `ids must be integers: ${ids.join(',')}`);
  return `{${ids.join(',')}}`;
}

/**
 * ProductRepository on knex, the same SQL on PostgreSQL 15 and PGlite. Built on a plain knex, each call runs alone
 * (calls of several statements take their own transaction); built on a transaction (the unit of work's scope),
 * every call runs in it.
 */
export class KnexProductRepository implements ProductRepository {
  readonly #session: SqlSession;

  /** A plain knex (each call runs alone), a transaction, or the unit of work's session (sql-repositories.ts). */
  constructor(db: Knex | Knex.Transaction | SqlSession) {
    this.#session = sqlSessionOf(db);
  }

  findById(productId: number, options: ProductReadOptions = {}): Promise<Product | null> {
    const read = async (db: Knex) => {
      const rows = await selectProducts(db, options.storefrontId).where('listings.id', productId);
      const [product] = await withVariants(db, rows, options.withVariants);
      return product ?? null;
    };
    // With variants, both reads see one snapshot.
    return options.withVariants === true ? this.#session.atomic(read, { readOnly: true }) : this.#session.query(read);
  }

  findBySkus(skus: readonly string[], options: ProductReadOptions = {}): Promise<Product[]> {
    return this.#activeProducts('listings.sku', skus, options);
  }

  findByIds(ids: readonly number[], options: ProductReadOptions = {}): Promise<Product[]> {
    return this.#activeProducts('listings.id', ids, options);
  }

  listByStorefront(
    storefrontId: number,
    page: OffsetPage,
    options: { readonly activeOnly?: boolean } = {},
  ): Promise<{ readonly items: readonly Product[]; readonly total: number }> {
    // One snapshot, so the page and its total agree.
    return this.#session.atomic(
      async (db) => {
        const matching = () => {
          const query = whereLiveProduct(db('listings'), storefrontId);
          return options.activeOnly === true ? query.andWhere('listings.status', 'active') : query;
        };
        const counted = (await matching().count({ total: '*' }).first()) as { total: number } | undefined;
        const rows: ProductRow[] = await matching()
          .select(PRODUCT_COLUMNS)
          .orderBy([
            { column: 'listings.created_at', order: 'desc' },
            { column: 'listings.id', order: 'desc' },
          ])
          .limit(page.limit)
          .offset(page.offset);
        return { items: rows.map((row) => productFromRow(row)), total: Number(counted?.total ?? 0) };
      },
      { readOnly: true },
    );
  }

  findTakenSkus(
    storefrontId: number,
    skus: readonly string[],
    options: { readonly excludeProductId?: number } = {},
  ): Promise<Set<string>> {
    if (skus.length === 0) return Promise.resolve(new Set());
    return this.#session.query(async (db) => {
      const query = whereLiveProduct(db('listings'), storefrontId).whereIn('listings.sku', [...skus]);
      if (options.excludeProductId !== undefined) query.whereNot('listings.id', options.excludeProductId);
      const taken: string[] = await query.pluck('listings.sku');
      return new Set(taken);
    });
  }

  deleteMany(request: BulkDeleteRequest): Promise<BulkDeleteResult> {
    if (request.ids.length === 0) return Promise.resolve({ deleted: [], variantsDeleted: 0 });
    return this.#session.query(async (db) => {
      if (!request.hard) {
        const rows: { id: number; version: number }[] = await whereLiveProduct(
          db('listings').whereIn('listings.id', [...request.ids]),
          request.storefrontId,
        ).update({ is_deleted: true, deleted_at: request.at }, ['id', 'version']);
        const deleted = rows.map(({ id, version }) => ({ id, version })).sort((a, b) => a.id - b.id);
        return { deleted, variantsDeleted: 0 };
      }
      // One statement: the outer SELECT reads the snapshot from before the DELETE, so it still counts the variants
      // that the foreign key's cascade removes at the end of the statement. A removed row has no version left; its
      // last one + 1 (what a soft delete would have stored) makes the index delete outrank every document of it.
      const result = await db.raw<{ rows: { id: number; version: number; variants: number }[] }>(
        `WITH gone AS (
           DELETE FROM listings
           WHERE id = ANY(?::bigint[]) AND storefront_id = ? AND source_type = 'b2c' AND is_deleted = false
           RETURNING id, version + 1 AS version
         )
         SELECT gone.id, gone.version,
           (SELECT count(*) FROM ${VARIANTS_TABLE} v WHERE v.product_id = gone.id)::int AS variants
         FROM gone ORDER BY gone.id`,
        [idArray(request.ids), request.storefrontId],
      );
      return {
        deleted: result.rows.map(({ id, version }) => ({ id, version })),
        variantsDeleted: result.rows.reduce((sum, row) => sum + row.variants, 0),
      };
    });
  }

  stats(storefrontId: number): Promise<ProductStats> {
    return this.#session.query(async (db) => {
      // Σ price × quantity on NUMERIC, read as exact text: never through a float.
      const row = (await whereLiveProduct(db('listings'), storefrontId)
        .select(
          db.raw('count(*) AS total_products'),
          db.raw(`count(*) FILTER (WHERE status = 'active') AS active_products`),
          db.raw(`count(*) FILTER (WHERE stock_status = 'out_of_stock') AS out_of_stock`),
          db.raw(`count(*) FILTER (WHERE stock_status = 'low_stock') AS low_stock`),
          db.raw('COALESCE(sum(price * quantity), 0)::text AS total_value'),
          db.raw('COALESCE(sum(sold_count), 0) AS total_sold'),
        )
        .first()) as Record<string, number | string>;
      return {
        totalProducts: Number(row.total_products),
        activeProducts: Number(row.active_products),
        outOfStock: Number(row.out_of_stock),
        lowStock: Number(row.low_stock),
        totalValue: decimalTextToMinorUnits(String(row.total_value)),
        totalSold: Number(row.total_sold),
      };
    });
  }

  findVariant(variantId: number, options: { readonly productId?: number } = {}): Promise<ProductVariant | null> {
    return this.#session.query(async (db) => {
      const query = db<VariantRow>(VARIANTS_TABLE).where('id', variantId);
      if (options.productId !== undefined) query.andWhere('product_id', options.productId);
      const row = (await query.first()) as VariantRow | undefined;
      return row === undefined ? null : variantFromRow(row);
    });
  }

  listVariants(productId: number, options: { readonly activeOnly?: boolean } = {}): Promise<ProductVariant[]> {
    return this.#session.query(async (db) => {
      const query = db<VariantRow>(VARIANTS_TABLE).where('product_id', productId);
      if (options.activeOnly === true) query.andWhere('is_active', true);
      const rows = (await query.orderBy([{ column: 'is_default', order: 'desc' }, 'id'])) as VariantRow[];
      return rows.map(variantFromRow);
    });
  }

  insertVariants(rows: readonly NewVariant[]): Promise<ProductVariant[]> {
    if (rows.length === 0) return Promise.resolve([]);
    const insert = this.#session.query(async (db) => {
      const inserted = (await db(VARIANTS_TABLE).insert(rows.map(variantInsertRow)).returning('*')) as VariantRow[];
      // Ids come from one sequence in VALUES order, so id order is input order.
      return inserted.sort((a, b) => a.id - b.id).map(variantFromRow);
    });
    return insert.catch(variantParentMissing);
  }

  updateVariant(variantId: number, update: Omit<VariantUpdate, 'isDefault'>): Promise<ProductVariant> {
    return this.#session.query(async (db) => {
      const columns = variantUpdateColumns(update);
      const query = db(VARIANTS_TABLE).where('id', variantId);
      const [row] = (
        Object.keys(columns).length === 0 ? await query.select('*') : await query.update(columns).returning('*')
      ) as VariantRow[];
      if (row === undefined) throw variantNotFound(variantId);
      return variantFromRow(row);
    });
  }

  deleteVariant(variantId: number): Promise<ProductVariant | null> {
    return this.#session.query(async (db) => {
      const [row] = (await db(VARIANTS_TABLE).where('id', variantId).del().returning('*')) as VariantRow[];
      return row === undefined ? null : variantFromRow(row);
    });
  }

  setDefaultVariant(productId: number, variantId: number | null): Promise<void> {
    return this.#session.atomic(async (db) => {
      // Locking the product's variants (id order) makes a concurrent setDefaultVariant wait, then see this one's
      // result, instead of both clearing a stale default and colliding on the unique index.
      const variants = (await db(VARIANTS_TABLE)
        .select('id', 'is_default')
        .where('product_id', productId)
        .orderBy('id')
        .forUpdate()) as Pick<VariantRow, 'id' | 'is_default'>[];
      if (variantId !== null && !variants.some((variant) => variant.id === variantId)) {
        throw variantNotFound(variantId);
      }
      // The unique index allows one default per product: clear the old one first, then set the new one.
      const stale = variants.filter((variant) => variant.is_default && variant.id !== variantId);
      if (stale.length > 0) {
        await db(VARIANTS_TABLE)
          .whereIn(
            'id',
            stale.map((variant) => variant.id),
          )
          .update({ is_default: false });
      }
      const target = variants.find((variant) => variant.id === variantId);
      if (target !== undefined && !target.is_default) {
        await db(VARIANTS_TABLE).where('id', target.id).update({ is_default: true });
      }
    });
  }

  /** Active products whose `column` is one of `keys`, id ascending (GetProductsBySKUs, GetProductsByIDs). */
  #activeProducts(
    column: 'listings.sku' | 'listings.id',
    keys: readonly (string | number)[],
    options: ProductReadOptions,
  ): Promise<Product[]> {
    if (keys.length === 0) return Promise.resolve([]);
    const read = async (db: Knex) => {
      const rows = await selectProducts(db, options.storefrontId)
        .whereIn(column, [...keys])
        .andWhere('listings.status', 'active')
        .orderBy('listings.id');
      return withVariants(db, rows, options.withVariants);
    };
    return options.withVariants === true ? this.#session.atomic(read, { readOnly: true }) : this.#session.query(read);
  }
}

/** Live products (of one storefront when given), every column a Product needs. */
function selectProducts(db: Knex, storefrontId: number | undefined): Knex.QueryBuilder {
  return whereLiveProduct(db('listings').select(PRODUCT_COLUMNS), storefrontId);
}

/** Maps rows to products, with their variants (one query for all of them) when asked. */
async function withVariants(db: Knex, rows: readonly ProductRow[], wanted = false): Promise<Product[]> {
  if (!wanted || rows.length === 0) return rows.map((row) => productFromRow(row));
  const variants = (await db(VARIANTS_TABLE)
    .whereIn(
      'product_id',
      rows.map((row) => row.id),
    )
    .orderBy(['product_id', { column: 'is_default', order: 'desc' }, 'id'])) as VariantRow[];
  const byProduct = new Map<number, ProductVariant[]>();
  for (const row of variants) {
    const list = byProduct.get(row.product_id) ?? [];
    list.push(variantFromRow(row));
    byProduct.set(row.product_id, list);
  }
  return rows.map((row) => productFromRow(row, byProduct.get(row.id) ?? []));
}
