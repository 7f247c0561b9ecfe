import type { Knex } from 'knex';
import { expect } from 'vitest';
import { MemoryCache } from '../../../../adapters/memory/cache/memory-cache.ts';
import { KnexSchemaMigrator } from '../../../../adapters/sql/knex-schema-migrator.ts';
import { KnexUnitOfWork } from '../../../../adapters/sql/knex-unit-of-work.ts';
import { createPlainRepositories } from '../../../../adapters/sql/sql-repositories.ts';
import { seed } from '../../../../migrations/seeds/categories.ts';
import type { Clock } from '../../../../ports/clock.ts';
import { type CoreMetrics, NO_METRICS } from '../../../../ports/core-metrics.ts';
import type { Principal } from '../../../../ports/principal.ts';
import type { TransactionScope, UnitOfWork } from '../../../../ports/unit-of-work.ts';
import { AppError, type ErrorCode } from '../../../../src/domain/errors.ts';
import type { Listing } from '../../../../src/domain/listing.ts';
import type { Product, ProductInput } from '../../../../src/domain/product.ts';
import { BatchUpdateStock } from '../../../../src/inventory/batch-update-stock.ts';
import { CheckStockAvailability } from '../../../../src/inventory/check-stock-availability.ts';
import { DecrementStock } from '../../../../src/inventory/decrement-stock.ts';
import { RecordInventoryMovement } from '../../../../src/inventory/record-inventory-movement.ts';
import { RollbackStock } from '../../../../src/inventory/rollback-stock.ts';
import { ListingCache } from '../../../../src/listings/listing-cache.ts';
import { BulkCreateProductVariants } from '../../../../src/products/bulk-create-product-variants.ts';
import { BulkCreateProducts } from '../../../../src/products/bulk-create-products.ts';
import { BulkDeleteProducts } from '../../../../src/products/bulk-delete-products.ts';
import { BulkUpdateProducts } from '../../../../src/products/bulk-update-products.ts';
import { CreateProduct } from '../../../../src/products/create-product.ts';
import { CreateProductVariant } from '../../../../src/products/create-product-variant.ts';
import { DeleteProduct } from '../../../../src/products/delete-product.ts';
import { DeleteProductVariant } from '../../../../src/products/delete-product-variant.ts';
import { FindProducts } from '../../../../src/products/find-products.ts';
import { GetProduct } from '../../../../src/products/get-product.ts';
import { GetVariants } from '../../../../src/products/get-variants.ts';
import { IncrementProductViews } from '../../../../src/products/increment-product-views.ts';
import { ListProducts } from '../../../../src/products/list-products.ts';
import { GetProductStats } from '../../../../src/products/product-stats.ts';
import { UpdateProduct } from '../../../../src/products/update-product.ts';
import { UpdateProductVariant } from '../../../../src/products/update-product-variant.ts';
import { scopeWith } from '../../../../src/shared/scope-with.ts';
import { freshPglite, freshPostgres, type TestDatabase } from '../../../support/databases.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** A marketplace user, as a verified token describes them. */
export function user(userId: number): Principal {
  return { subject: String(userId), userId, roles: [], kind: 'user' };
}

export const ADMIN: Principal = { subject: '1', userId: 1, roles: ['admin'], kind: 'user' };
export const SERVICE: Principal = { subject: 'orders-service', roles: ['service'], kind: 'service' };

/** CoreMetrics that remembers every business event as `name:arg,...`. */
export function recordingMetrics(): CoreMetrics & { readonly events: string[] } {
  const events: string[] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      events.push([name, ...args].join(':'));
    };
  return {
    ...NO_METRICS,
    events,
    listingWritten: record('listingWritten'),
    stockOperation: record('stockOperation'),
    movementRecorded: record('movementRecorded'),
    movementFailed: record('movementFailed'),
    productViewed: record('productViewed'),
    productViewFailed: record('productViewFailed'),
    lowStockReached: record('lowStockReached'),
  };
}

/** Wall-clock now; tests that need another instant pass a deadline relative to it. */
const clock: Clock = { now: () => new Date(), monotonicMs: () => performance.now() };

/**
 * The product, variant and inventory use cases on the real SQL adapters: a fresh migrated database (PGlite or
 * PostgreSQL 15) with the seed categories, the SQL unit of work and plain repositories, the real listing cache on
 * an in-process cache. Nothing of the database is mocked.
 */
export class Catalog {
  readonly db: TestDatabase;
  readonly knex: Knex;
  readonly categories: Readonly<Record<string, number>>;
  readonly cache = new MemoryCache();
  metrics = recordingMetrics();
  listingCache!: ListingCache;
  readonly #plain: ReturnType<typeof createPlainRepositories>;
  readonly #uow: UnitOfWork;
  /** Overrides applied to every unit of work's scope while set (to stage a race the database would allow). */
  readonly faults: { scope?: ((tx: TransactionScope) => Partial<TransactionScope>) | undefined } = {};

  getProduct!: GetProduct;
  findProducts!: FindProducts;
  listProducts!: ListProducts;
  createProduct!: CreateProduct;
  updateProduct!: UpdateProduct;
  deleteProduct!: DeleteProduct;
  bulkCreate!: BulkCreateProducts;
  bulkUpdate!: BulkUpdateProducts;
  bulkDelete!: BulkDeleteProducts;
  stats!: GetProductStats;
  views!: IncrementProductViews;
  variants!: GetVariants;
  createVariant!: CreateProductVariant;
  updateVariant!: UpdateProductVariant;
  deleteVariant!: DeleteProductVariant;
  bulkCreateVariants!: BulkCreateProductVariants;
  decrement!: DecrementStock;
  rollback!: RollbackStock;
  check!: CheckStockAvailability;
  movement!: RecordInventoryMovement;
  batch!: BatchUpdateStock;

  constructor(db: TestDatabase, categories: Readonly<Record<string, number>>) {
    this.db = db;
    this.knex = db.knex;
    this.categories = categories;
    this.#plain = createPlainRepositories(db.knex);
    const uow = new KnexUnitOfWork(db.knex);
    this.#uow = {
      run: (work, options) =>
        uow.run((tx) => work(this.faults.scope ? scopeWith(tx, this.faults.scope(tx)) : tx), options),
    };
    this.#build();
  }

  #build(): void {
    const plain = this.#plain;
    this.listingCache = new ListingCache({ cache: this.cache, metrics: this.metrics });
    const writes = {
      uow: this.#uow,
      clock,
      metrics: this.metrics,
      cache: this.cache,
      listingCache: this.listingCache,
    };
    const reads = { products: plain.products };
    this.getProduct = new GetProduct(reads);
    this.findProducts = new FindProducts(reads);
    this.listProducts = new ListProducts(reads);
    this.createProduct = new CreateProduct({ ...writes, ids: { uuid: () => crypto.randomUUID() } });
    this.updateProduct = new UpdateProduct(writes);
    this.deleteProduct = new DeleteProduct(writes);
    this.bulkCreate = new BulkCreateProducts({ ...writes, ids: { uuid: () => crypto.randomUUID() } });
    this.bulkUpdate = new BulkUpdateProducts(writes);
    this.bulkDelete = new BulkDeleteProducts(writes);
    this.stats = new GetProductStats({ products: plain.products, storefronts: plain.storefronts });
    this.views = new IncrementProductViews(writes);
    this.variants = new GetVariants(reads);
    this.createVariant = new CreateProductVariant(writes);
    this.updateVariant = new UpdateProductVariant(writes);
    this.deleteVariant = new DeleteProductVariant(writes);
    this.bulkCreateVariants = new BulkCreateProductVariants(writes);
    this.decrement = new DecrementStock(writes);
    this.rollback = new RollbackStock(writes);
    this.check = new CheckStockAvailability({ inventory: plain.inventory, metrics: this.metrics });
    this.movement = new RecordInventoryMovement(writes);
    this.batch = new BatchUpdateStock(writes);
  }

  /** Fresh metrics and use cases; every row of the tables these use cases write is removed. */
  async reset(): Promise<void> {
    await this.knex.raw(
      'TRUNCATE listings, b2c_product_variants, inventory_movements, indexing_queue, idempotency_keys, storefronts CASCADE',
    );
    this.metrics = recordingMetrics();
    this.faults.scope = undefined;
    this.#build();
  }

  /** A storefront row of `userId` (the service only reads them); returns its id. */
  async addStorefront(userId: number): Promise<number> {
    const slug = `shop-${userId}-${Math.random().toString(36).slice(2, 10)}`;
    const [row] = await this.knex('storefronts')
      .insert({ user_id: userId, slug, name: `Shop ${slug}` })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  /** A valid ProductInput in the `fashion` category. */
  productInput(overrides: Partial<ProductInput> = {}): ProductInput {
    return {
      name: 'Trail shoes',
      description: 'Light and waterproof',
      price: 49.99,
      currency: 'RSD',
      categoryId: this.categories.fashion!,
      stockQuantity: 10,
      isActive: true,
      ...overrides,
    };
  }

  /** A product created through CreateProduct by an admin (the owner is the storefront's user either way). */
  async newProduct(storefrontId: number, overrides: Partial<ProductInput> = {}): Promise<Product> {
    return (await this.createProduct.execute(ADMIN, { storefrontId, ...this.productInput(overrides) })).product;
  }

  /** A product with `has_variants` and its variants (stock as given, the first one default). */
  async newProductWithVariants(
    storefrontId: number,
    stocks: readonly number[],
  ): Promise<{ product: Product; variantIds: number[] }> {
    const product = await this.newProduct(storefrontId, { hasVariants: true });
    const result = await this.bulkCreateVariants.execute(ADMIN, {
      productId: product.id,
      variants: stocks.map((stockQuantity, index) => ({ sku: `V-${index}`, stockQuantity })),
    });
    return { product, variantIds: result.variants.map((variant) => variant.id) };
  }

  /** The row as stored, deleted or not. */
  async row(id: number): Promise<Listing> {
    const row = await this.#plain.listings.findRow(id, { includeDeleted: true });
    if (row === null) throw new Error(`no listing ${id}`);
    return row;
  }

  async count(table: string, where: Record<string, unknown> = {}): Promise<number> {
    const [row] = await this.knex(table).where(where).count<{ count: string | number }[]>({ count: '*' });
    return Number(row?.count ?? 0);
  }

  /** Pending outbox entries of a listing. */
  async pendingOutbox(listingId: number): Promise<{ operation: string; version: number }[]> {
    const rows = await this.knex('indexing_queue').where({ listing_id: listingId, status: 'pending' }).orderBy('id');
    return rows.map((row) => ({ operation: row.operation as string, version: Number(row.listing_version) }));
  }

  /** Expects exactly one pending outbox entry for the listing, at `version` when given; returns it. */
  async expectOnePending(listingId: number, expected: { operation?: string; version?: number } = {}) {
    const pending = await this.pendingOutbox(listingId);
    expect(pending).toHaveLength(1);
    if (expected.operation !== undefined) expect(pending[0]!.operation).toBe(expected.operation);
    if (expected.version !== undefined) expect(pending[0]!.version).toBe(expected.version);
    return pending[0]!;
  }

  /** Movements of a product, oldest first. */
  async movements(productId: number) {
    const rows = await this.knex('inventory_movements').where({ listing_id: productId }).orderBy('id');
    return rows.map((row) => ({
      variantId: row.variant_id === null ? null : Number(row.variant_id),
      type: row.movement_type as string,
      quantity: Number(row.quantity),
      orderId: row.order_id as string | null,
      reason: row.reason as string | null,
      userId: row.user_id === null ? null : Number(row.user_id),
    }));
  }

  async variantRow(id: number) {
    return this.knex('b2c_product_variants').where({ id }).first();
  }

  dispose(): Promise<void> {
    return this.db.dispose();
  }
}

/** Opens a fresh database, migrates it, seeds the categories and builds the catalog. */
export async function openCatalog(kind: DatabaseKind = 'pglite'): Promise<Catalog> {
  const db = kind === 'postgres' ? await freshPostgres('listings_products') : await freshPglite();
  try {
    await new KnexSchemaMigrator(db.knex).latest();
    await seed(db.knex);
    const rows = await db.knex('c2c_categories').select('id', 'slug');
    const categories = Object.fromEntries(rows.map((row) => [row.slug as string, Number(row.id)]));
    return new Catalog(db, categories);
  } catch (error) {
    await db.dispose();
    throw error;
  }
}

/** Awaits `promise`, expects an AppError with `code` (and `reason` when given), and returns it. */
export async function rejection(promise: Promise<unknown>, code: ErrorCode, reason?: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code, appError.message).toBe(code);
    if (reason !== undefined) expect(appError.reason).toBe(reason);
    return appError;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}
