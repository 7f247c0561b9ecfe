import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { createTokenVerifier } from '../../../adapters/auth/create-token-verifier.ts';
import { buildHttpApp } from '../../../adapters/http/app.ts';
import { HealthProbe } from '../../../adapters/http/health-probe.ts';
import { apiRoutes } from '../../../adapters/http/routes/api.ts';
import type { ApiUseCases } from '../../../adapters/http/routes/use-cases.ts';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { KnexUnitOfWork } from '../../../adapters/sql/knex-unit-of-work.ts';
import { createPlainRepositories } from '../../../adapters/sql/sql-repositories.ts';
import { seed } from '../../../migrations/seeds/categories.ts';
import type { Clock } from '../../../ports/clock.ts';
import { NO_METRICS } from '../../../ports/core-metrics.ts';
import { CategoryQueries } from '../../../src/categories/category-queries.ts';
import { ChangeFavorite } from '../../../src/favorites/change-favorite.ts';
import { FavoriteQueries } from '../../../src/favorites/favorite-queries.ts';
import { ChangeListingImages } from '../../../src/images/change-listing-images.ts';
import { ImageQueries } from '../../../src/images/image-queries.ts';
import { BatchUpdateStock } from '../../../src/inventory/batch-update-stock.ts';
import { CheckStockAvailability } from '../../../src/inventory/check-stock-availability.ts';
import { DecrementStock } from '../../../src/inventory/decrement-stock.ts';
import { RecordInventoryMovement } from '../../../src/inventory/record-inventory-movement.ts';
import { RollbackStock } from '../../../src/inventory/rollback-stock.ts';
import { ChangeListingStatus } from '../../../src/listings/change-listing-status.ts';
import { CreateListing } from '../../../src/listings/create-listing.ts';
import { DeleteListing } from '../../../src/listings/delete-listing.ts';
import { GetListing } from '../../../src/listings/get-listing.ts';
import { ListListings } from '../../../src/listings/list-listings.ts';
import { ListingCache } from '../../../src/listings/listing-cache.ts';
import { UpdateListing } from '../../../src/listings/update-listing.ts';
import { BulkCreateProductVariants } from '../../../src/products/bulk-create-product-variants.ts';
import { BulkCreateProducts } from '../../../src/products/bulk-create-products.ts';
import { BulkDeleteProducts } from '../../../src/products/bulk-delete-products.ts';
import { BulkUpdateProducts } from '../../../src/products/bulk-update-products.ts';
import { CreateProduct } from '../../../src/products/create-product.ts';
import { CreateProductVariant } from '../../../src/products/create-product-variant.ts';
import { DeleteProduct } from '../../../src/products/delete-product.ts';
import { DeleteProductVariant } from '../../../src/products/delete-product-variant.ts';
import { FindProducts } from '../../../src/products/find-products.ts';
import { GetProduct } from '../../../src/products/get-product.ts';
import { GetVariants } from '../../../src/products/get-variants.ts';
import { IncrementProductViews } from '../../../src/products/increment-product-views.ts';
import { ListProducts } from '../../../src/products/list-products.ts';
import { GetProductStats } from '../../../src/products/product-stats.ts';
import { UpdateProduct } from '../../../src/products/update-product.ts';
import { UpdateProductVariant } from '../../../src/products/update-product-variant.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { SearchListings } from '../../../src/search/search-listings.ts';
import { SuggestListings } from '../../../src/search/suggest.ts';
import { StorefrontQueries } from '../../../src/storefronts/storefront-queries.ts';
import { freshPostgres, type TestDatabase } from '../../support/databases.ts';
import { signToken, TEST_SECRET } from '../../unit/auth/tokens.ts';

const clock: Clock = { now: () => new Date(), monotonicMs: () => performance.now() };

/** Every use case the REST API drives, on the SQL adapters over `knex`, with an in-process cache. */
export function buildUseCases(knex: Knex): ApiUseCases {
  const plain = createPlainRepositories(knex);
  const uow = new KnexUnitOfWork(knex);
  const cache = new MemoryCache();
  const metrics = NO_METRICS;
  const listingCache = new ListingCache({ cache, metrics });
  const ids = { uuid: () => crypto.randomUUID() };
  const listingWrites = { uow, clock, cache: listingCache, metrics };
  const productWrites = { uow, clock, metrics, cache, listingCache };
  const productReads = { products: plain.products };
  const update = new UpdateListing(listingWrites);
  const imageChanges = new ChangeListingImages({ uow, cache: listingCache });
  // Search answers are not cached here: the tests write the index directly, without bumping the search generation.
  const index = new PgSearchIndex({ knex });
  return {
    search: {
      listings: new SearchListings({ index, listings: plain.listings, listingCache, cache: undefined, metrics }),
      suggest: new SuggestListings({ index, cache: undefined, metrics }),
    },
    listings: {
      get: new GetListing({ listings: plain.listings, cache: listingCache }),
      list: new ListListings({ listings: plain.listings }),
      create: new CreateListing({ ...listingWrites, ids }),
      update,
      delete: new DeleteListing(listingWrites),
      status: new ChangeListingStatus({ update }),
    },
    images: {
      queries: new ImageQueries({ images: plain.images, listings: plain.listings }),
      change: imageChanges,
      delete: imageChanges,
    },
    favorites: {
      change: new ChangeFavorite({ uow, clock, cache: listingCache }),
      queries: new FavoriteQueries({ favorites: plain.favorites, listings: plain.listings }),
    },
    categories: new CategoryQueries({ categories: plain.categories }),
    storefronts: new StorefrontQueries({ storefronts: plain.storefronts }),
    products: {
      get: new GetProduct(productReads),
      find: new FindProducts(productReads),
      list: new ListProducts(productReads),
      create: new CreateProduct({ ...productWrites, ids }),
      update: new UpdateProduct(productWrites),
      delete: new DeleteProduct(productWrites),
      bulkCreate: new BulkCreateProducts({ ...productWrites, ids }),
      bulkUpdate: new BulkUpdateProducts(productWrites),
      bulkDelete: new BulkDeleteProducts(productWrites),
    },
    variants: {
      read: new GetVariants(productReads),
      create: new CreateProductVariant(productWrites),
      update: new UpdateProductVariant(productWrites),
      delete: new DeleteProductVariant(productWrites),
      bulkCreate: new BulkCreateProductVariants(productWrites),
    },
    stock: {
      decrement: new DecrementStock(productWrites),
      rollback: new RollbackStock(productWrites),
      check: new CheckStockAvailability({ inventory: plain.inventory, metrics }),
      movement: new RecordInventoryMovement(productWrites),
      batchUpdate: new BatchUpdateStock(productWrites),
      stats: new GetProductStats({ products: plain.products, storefronts: plain.storefronts }),
      views: new IncrementProductViews(productWrites),
    },
  };
}

/** Callers by role, each with a signed HS256 bearer token. */
export interface Callers {
  /** User 7: owns what the tests create. */
  readonly owner: string;
  /** User 8: owns nothing of it. */
  readonly stranger: string;
  /** User 1 with the `admin` role. */
  readonly admin: string;
  /** The `orders` service. */
  readonly service: string;
}

export const OWNER_ID = 7;
export const STRANGER_ID = 8;

/**
 * The whole HTTP app (`buildHttpApp` with `apiRoutes`) on a fresh PostgreSQL 15 database with the migrations and
 * seed categories, authenticated by `createTokenVerifier` with an HS256 secret. Nothing is mocked.
 */
export class ApiWorld {
  readonly db: TestDatabase;
  readonly app: FastifyInstance;
  readonly tokens: Callers;
  readonly categories: Readonly<Record<string, number>>;

  constructor(db: TestDatabase, app: FastifyInstance, tokens: Callers, categories: Record<string, number>) {
    this.db = db;
    this.app = app;
    this.tokens = tokens;
    this.categories = categories;
  }

  get knex(): Knex {
    return this.db.knex;
  }

  /** `inject` with an optional bearer token of `as`. */
  request(options: InjectOptions & { as?: keyof Callers | undefined }): Promise<LightMyRequestResponse> {
    const { as, headers, ...rest } = options;
    const auth = as === undefined ? {} : { authorization: `Bearer ${this.tokens[as]}` };
    return this.app.inject({ ...rest, headers: { ...headers, ...auth } });
  }

  /** A valid create body of a C2C listing in `bicycles`. */
  listingBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      title: 'Mountain bike',
      description: 'Barely used',
      price: 199.99,
      currency: 'RSD',
      category_id: this.categories.bicycles,
      quantity: 1,
      ...overrides,
    };
  }

  /** Creates a listing as `as` (owner by default) through the API and returns its JSON. */
  async newListing(overrides: Record<string, unknown> = {}, as: keyof Callers = 'owner') {
    const response = await this.request({
      method: 'POST',
      url: '/api/v1/listings',
      as,
      payload: this.listingBody(overrides),
    });
    if (response.statusCode !== 201) throw new Error(`create failed: ${response.statusCode} ${response.body}`);
    return response.json() as { id: number; version: number; [key: string]: unknown };
  }

  /** A listing of the owner, published (active). */
  async newActiveListing(overrides: Record<string, unknown> = {}) {
    const listing = await this.newListing(overrides);
    const response = await this.request({ method: 'POST', url: `/api/v1/listings/${listing.id}/publish`, as: 'owner' });
    if (response.statusCode !== 200) throw new Error(`publish failed: ${response.body}`);
    return response.json() as { id: number; version: number; [key: string]: unknown };
  }

  /** A storefront row of `userId` (the service only reads storefronts); returns its id. */
  async addStorefront(userId = OWNER_ID, columns: Record<string, unknown> = {}): Promise<number> {
    const slug = (columns.slug as string | undefined) ?? `shop-${userId}-${Math.random().toString(36).slice(2, 10)}`;
    const [row] = await this.knex('storefronts')
      .insert({ user_id: userId, slug, name: `Shop ${slug}`, ...columns })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  /** Writes the listing's current search document (as the indexing worker would), or removes it. */
  async indexListing(id: number): Promise<void> {
    const index = new PgSearchIndex({ knex: this.knex });
    const listing = await createPlainRepositories(this.knex).listings.findById(id);
    const document = listing === null ? null : buildSearchDocument(listing);
    if (document !== null) await index.upsert([document]);
    else await index.remove([{ id, version: (listing?.version ?? 0) + 1 }]);
  }

  async count(table: string, where: Record<string, unknown> = {}): Promise<number> {
    const [row] = await this.knex(table).where(where).count<{ count: string | number }[]>({ count: '*' });
    return Number(row?.count ?? 0);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.db.dispose();
  }
}

/** Opens a fresh migrated and seeded PostgreSQL database and builds the app on it. */
export async function openApiWorld(): Promise<ApiWorld> {
  const db = await freshPostgres('listings_http');
  try {
    await new KnexSchemaMigrator(db.knex).latest();
    await seed(db.knex);
    const rows = await db.knex('c2c_categories').select('id', 'slug');
    const categories = Object.fromEntries(rows.map((row) => [row.slug as string, Number(row.id)]));
    const verifier = await createTokenVerifier({ jwtSecret: TEST_SECRET });
    const app = await buildHttpApp({
      logger: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
      version: '9.9.9',
      probe: new HealthProbe([], { timeoutMs: 100, cacheMs: 0 }),
      bodyLimitBytes: 1024 * 1024,
      requestTimeoutMs: 30_000,
      isAccepting: () => true,
      auth: { verifier },
      plugins: [apiRoutes(buildUseCases(db.knex))],
    });
    await app.ready();
    const tokens: Callers = {
      owner: await signToken({ sub: String(OWNER_ID) }),
      stranger: await signToken({ sub: String(STRANGER_ID) }),
      admin: await signToken({ sub: '1', roles: ['admin'] }),
      service: await signToken({ sub: 'orders', roles: ['service'] }),
    };
    return new ApiWorld(db, app, tokens, categories);
  } catch (error) {
    await db.dispose();
    throw error;
  }
}
