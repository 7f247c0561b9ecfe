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
import {
  type ConstraintTranslations,
  type DatabaseError,
  duplicateKeyValue,
  translatingErrors,
} from './product-sql-errors.ts';
import {
  VARIANTS_TABLE,
  type VariantRow,
  variantFromRow,
  variantInsertRow,
  variantUpdateColumns,
} from './variant-rows.ts';

type Database = Knex | Knex.Transaction;

/** ALREADY_EXISTS for a taken SKU, naming it when the driver's detail does (`SKU <sku> already exists in …`). */
function skuDuplicate(reason: string, where: string, error: DatabaseError): AppError {
  const sku = duplicateKeyValue(error);
  return new AppError('ALREADY_EXISTS', `SKU ${sku === undefined ? '' : `${sku} `}already exists in ${where}`, {
    reason,
    ...(sku === undefined ? {} : { details: { sku } }),
    cause: error,
  });
}

/** Unique and foreign-key violations of product and variant writes, by the names the migrations give them. */
const PRODUCT_CONSTRAINTS: ConstraintTranslations = {
  uq_listings_storefront_sku: (error) => skuDuplicate('products.sku_duplicate', 'storefront', error),
  uq_b2c_product_variants_product_sku: (error) => skuDuplicate('variants.sku_duplicate', 'product', error),
  fk_b2c_product_variants_product_id: (error) =>
    new AppError('PRODUCT_NOT_FOUND', 'product not found', { reason: 'variants.product_not_found', cause: error }),
};

/** Runs `work` in one transaction: the given one, or a new one on a plain knex. */
function atomically<T>(db: Database, work: (trx: Knex) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction((trx) => work(trx));
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
  readonly #db: Database;

  constructor(db: Knex | Knex.Transaction) {
    this.#db = db;
  }

  findById(productId: number, options: ProductReadOptions = {}): Promise<Product | null> {
    return translatingErrors(async () => {
      const query = this.#products(options.storefrontId).where('listings.id', productId);
      const [product] = await this.#withVariants(await query, options.withVariants);
      return product ?? null;
    }, PRODUCT_CONSTRAINTS);
  }

  findBySkus(skus: readonly string[], options: ProductReadOptions = {}): Promise<Product[]> {
    if (skus.length === 0) return Promise.resolve([]);
    return translatingErrors(async () => {
      const rows = await this.#products(options.storefrontId)
        .whereIn('listings.sku', [...skus])
        .andWhere('listings.status', 'active')
        .orderBy('listings.id');
      return this.#withVariants(rows, options.withVariants);
    }, PRODUCT_CONSTRAINTS);
  }

  findByIds(ids: readonly number[], options: ProductReadOptions = {}): Promise<Product[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return translatingErrors(async () => {
      const rows = await this.#products(options.storefrontId)
        .whereIn('listings.id', [...ids])
        .andWhere('listings.status', 'active')
        .orderBy('listings.id');
      return this.#withVariants(rows, options.withVariants);
    }, PRODUCT_CONSTRAINTS);
  }

  listByStorefront(
    storefrontId: number,
    page: OffsetPage,
    options: { readonly activeOnly?: boolean } = {},
  ): Promise<{ readonly items: readonly Product[]; readonly total: number }> {
    return translatingErrors(async () => {
      const matching = () => {
        const query = whereLiveProduct(this.#db('listings'), storefrontId);
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
    }, PRODUCT_CONSTRAINTS);
  }

  findTakenSkus(
    storefrontId: number,
    skus: readonly string[],
    options: { readonly excludeProductId?: number } = {},
  ): Promise<Set<string>> {
    if (skus.length === 0) return Promise.resolve(new Set());
    return translatingErrors(async () => {
      const query = whereLiveProduct(this.#db('listings'), storefrontId).whereIn('listings.sku', [...skus]);
      if (options.excludeProductId !== undefined) query.whereNot('listings.id', options.excludeProductId);
      const taken: string[] = await query.pluck('listings.sku');
      return new Set(taken);
    }, PRODUCT_CONSTRAINTS);
  }

  deleteMany(request: BulkDeleteRequest): Promise<BulkDeleteResult> {
    if (request.ids.length === 0) return Promise.resolve({ deleted: [], variantsDeleted: 0 });
    return translatingErrors(async () => {
      if (!request.hard) {
        const rows: { id: number; version: number }[] = await whereLiveProduct(
          this.#db('listings').whereIn('listings.id', [...request.ids]),
          request.storefrontId,
        ).update({ is_deleted: true, deleted_at: request.at }, ['id', 'version']);
        const deleted = rows.map(({ id, version }) => ({ id, version })).sort((a, b) => a.id - b.id);
        return { deleted, variantsDeleted: 0 };
      }
      // One statement: the outer SELECT reads the snapshot from before the DELETE, so it still counts the variants
      // that the foreign key's cascade removes at the end of the statement.
      const result = await this.#db.raw<{ rows: { id: number; version: number; variants: number }[] }>(
        `WITH gone AS (
           DELETE FROM listings
           WHERE id = ANY(?::bigint[]) AND storefront_id = ? AND source_type = 'b2c' AND is_deleted = false
           RETURNING id, version
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
    }, PRODUCT_CONSTRAINTS);
  }

  stats(storefrontId: number): Promise<ProductStats> {
    return translatingErrors(async () => {
      // Σ price × quantity on NUMERIC, read as exact text: never through a float.
      const row = (await whereLiveProduct(this.#db('listings'), storefrontId)
        .select(
          this.#db.raw('count(*) AS total_products'),
          this.#db.raw(`count(*) FILTER (WHERE status = 'active') AS active_products`),
          this.#db.raw(`count(*) FILTER (WHERE stock_status = 'out_of_stock') AS out_of_stock`),
          this.#db.raw(`count(*) FILTER (WHERE stock_status = 'low_stock') AS low_stock`),
          this.#db.raw('COALESCE(sum(price * quantity), 0)::text AS total_value'),
          this.#db.raw('COALESCE(sum(sold_count), 0) AS total_sold'),
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
    }, PRODUCT_CONSTRAINTS);
  }

  findVariant(variantId: number, options: { readonly productId?: number } = {}): Promise<ProductVariant | null> {
    return translatingErrors(async () => {
      const query = this.#db<VariantRow>(VARIANTS_TABLE).where('id', variantId);
      if (options.productId !== undefined) query.andWhere('product_id', options.productId);
      const row = (await query.first()) as VariantRow | undefined;
      return row === undefined ? null : variantFromRow(row);
    }, PRODUCT_CONSTRAINTS);
  }

  listVariants(productId: number, options: { readonly activeOnly?: boolean } = {}): Promise<ProductVariant[]> {
    return translatingErrors(async () => {
      const query = this.#db<VariantRow>(VARIANTS_TABLE).where('product_id', productId);
      if (options.activeOnly === true) query.andWhere('is_active', true);
      const rows = (await query.orderBy([{ column: 'is_default', order: 'desc' }, 'id'])) as VariantRow[];
      return rows.map(variantFromRow);
    }, PRODUCT_CONSTRAINTS);
  }

  insertVariants(rows: readonly NewVariant[]): Promise<ProductVariant[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return translatingErrors(async () => {
      const inserted = (await this.#db(VARIANTS_TABLE)
        .insert(rows.map(variantInsertRow))
        .returning('*')) as VariantRow[];
      // Ids come from one sequence in VALUES order, so id order is input order.
      return inserted.sort((a, b) => a.id - b.id).map(variantFromRow);
    }, PRODUCT_CONSTRAINTS);
  }

  updateVariant(variantId: number, update: Omit<VariantUpdate, 'isDefault'>): Promise<ProductVariant> {
    return translatingErrors(async () => {
      const columns = variantUpdateColumns(update);
      const query = this.#db(VARIANTS_TABLE).where('id', variantId);
      const [row] = (
        Object.keys(columns).length === 0 ? await query.select('*') : await query.update(columns).returning('*')
      ) as VariantRow[];
      if (row === undefined) throw variantNotFound(variantId);
      return variantFromRow(row);
    }, PRODUCT_CONSTRAINTS);
  }

  deleteVariant(variantId: number): Promise<ProductVariant | null> {
    return translatingErrors(async () => {
      const [row] = (await this.#db(VARIANTS_TABLE).where('id', variantId).del().returning('*')) as VariantRow[];
      return row === undefined ? null : variantFromRow(row);
    }, PRODUCT_CONSTRAINTS);
  }

  setDefaultVariant(productId: number, variantId: number | null): Promise<void> {
    return translatingErrors(
      () =>
        atomically(this.#db, async (trx) => {
          // Locking the product's variants (id order) makes a concurrent setDefaultVariant wait, then see this
          // one's result, instead of both clearing a stale default and colliding on the unique index.
          const variants = (await trx(VARIANTS_TABLE)
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
            await trx(VARIANTS_TABLE)
              .whereIn(
                'id',
                stale.map((variant) => variant.id),
              )
              .update({ is_default: false });
          }
          const target = variants.find((variant) => variant.id === variantId);
          if (target !== undefined && !target.is_default) {
            await trx(VARIANTS_TABLE).where('id', target.id).update({ is_default: true });
          }
        }),
      PRODUCT_CONSTRAINTS,
    );
  }

  /** Live products (of one storefront when given), every column a Product needs. */
  #products(storefrontId: number | undefined): Knex.QueryBuilder {
    return whereLiveProduct(this.#db('listings').select(PRODUCT_COLUMNS), storefrontId);
  }

  /** Maps rows to products, with their variants (one query for all of them) when asked. */
  async #withVariants(rows: readonly ProductRow[], withVariants = false): Promise<Product[]> {
    if (!withVariants || rows.length === 0) return rows.map((row) => productFromRow(row));
    const variants = (await this.#db(VARIANTS_TABLE)
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
}
