import type { Knex } from 'knex';
import type { Cache } from '../../ports/cache.ts';
import type { CoreMetrics } from '../../ports/core-metrics.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import { CategoryQueries } from '../../src/categories/category-queries.ts';
import { ChangeFavorite } from '../../src/favorites/change-favorite.ts';
import { FavoriteQueries } from '../../src/favorites/favorite-queries.ts';
import { ChangeListingImages } from '../../src/images/change-listing-images.ts';
import { ImageQueries } from '../../src/images/image-queries.ts';
import { signalCommittedEnqueues } from '../../src/indexing/committed-enqueues.ts';
import { BatchUpdateStock } from '../../src/inventory/batch-update-stock.ts';
import { CheckStockAvailability } from '../../src/inventory/check-stock-availability.ts';
import { DecrementStock } from '../../src/inventory/decrement-stock.ts';
import { RecordInventoryMovement } from '../../src/inventory/record-inventory-movement.ts';
import { RollbackStock } from '../../src/inventory/rollback-stock.ts';
import { ChangeListingStatus } from '../../src/listings/change-listing-status.ts';
import { CreateListing } from '../../src/listings/create-listing.ts';
import { DeleteListing } from '../../src/listings/delete-listing.ts';
import { GetListing } from '../../src/listings/get-listing.ts';
import { ListListings } from '../../src/listings/list-listings.ts';
import { ListingCache } from '../../src/listings/listing-cache.ts';
import { ListingsForReindex } from '../../src/listings/listings-for-reindex.ts';
import { RequestReindex } from '../../src/listings/request-reindex.ts';
import { UpdateListing } from '../../src/listings/update-listing.ts';
import { BulkCreateProductVariants } from '../../src/products/bulk-create-product-variants.ts';
import { BulkCreateProducts } from '../../src/products/bulk-create-products.ts';
import { BulkDeleteProducts } from '../../src/products/bulk-delete-products.ts';
import { BulkUpdateProducts } from '../../src/products/bulk-update-products.ts';
import { CreateProduct } from '../../src/products/create-product.ts';
import { CreateProductVariant } from '../../src/products/create-product-variant.ts';
import { DeleteProduct } from '../../src/products/delete-product.ts';
import { DeleteProductVariant } from '../../src/products/delete-product-variant.ts';
import { FindProducts } from '../../src/products/find-products.ts';
import { GetProduct } from '../../src/products/get-product.ts';
import { GetVariants } from '../../src/products/get-variants.ts';
import { IncrementProductViews } from '../../src/products/increment-product-views.ts';
import { ListProducts } from '../../src/products/list-products.ts';
import { GetProductStats } from '../../src/products/product-stats.ts';
import { UpdateProduct } from '../../src/products/update-product.ts';
import { UpdateProductVariant } from '../../src/products/update-product-variant.ts';
import { SearchListings } from '../../src/search/search-listings.ts';
import { SuggestListings } from '../../src/search/suggest.ts';
import { StorefrontQueries } from '../../src/storefronts/storefront-queries.ts';
import { KnexUnitOfWork } from '../sql/knex-unit-of-work.ts';
import { createPlainRepositories, type SqlRepositories } from '../sql/sql-repositories.ts';
import { randomIds } from '../system/random-ids.ts';
import { systemClock } from '../system/system-clock.ts';

export interface CoreUseCaseSettings {
  readonly knex: Knex;
  /** Undefined when caching is off. */
  readonly cache: Cache | undefined;
  readonly metrics: CoreMetrics;
  readonly listingTtlMs?: number;
  /** The configured search index (OpenSearch, or PostgreSQL full text on `knex`). */
  readonly searchIndex: SearchIndex;
  readonly searchTtlMs?: number;
  /** Called after each commit that enqueued search work (wakes this process's indexing worker). */
  readonly onCommittedEnqueue?: () => void;
}

/**
 * Every use case of the core, built once on one database and one cache, and shared by REST, gRPC and the CLI.
 * One ListingCache instance serves every writer, so a product or stock write invalidates what a listing read
 * cached.
 */
export function buildCoreUseCases(settings: CoreUseCaseSettings) {
  const { knex, metrics } = settings;
  const plain: SqlRepositories = createPlainRepositories(knex);
  const uow = settings.onCommittedEnqueue
    ? signalCommittedEnqueues(new KnexUnitOfWork(knex), settings.onCommittedEnqueue)
    : new KnexUnitOfWork(knex);
  const clock = systemClock;
  const ids = randomIds;
  const listingCache = new ListingCache({
    cache: settings.cache,
    metrics,
    ...(settings.listingTtlMs ? { ttlMs: settings.listingTtlMs } : {}),
  });
  // Product writes bump the search generation through the raw cache; without a cache there is nothing to bump.
  const cache: Cache = settings.cache ?? NO_CACHE;
  const listingWrites = { uow, clock, cache: listingCache, metrics };
  const productWrites = { uow, clock, metrics, cache, listingCache };
  const productReads = { products: plain.products };
  const updateListing = new UpdateListing(listingWrites);

  const listings = {
    get: new GetListing({ listings: plain.listings, cache: listingCache }),
    list: new ListListings({ listings: plain.listings }),
    create: new CreateListing({ ...listingWrites, ids }),
    update: updateListing,
    delete: new DeleteListing(listingWrites),
    status: new ChangeListingStatus({ update: updateListing }),
    reindex: new ListingsForReindex({ listings: plain.listings }),
    requestReindex: new RequestReindex({ uow }),
  };
  const imageChanges = new ChangeListingImages({ uow, cache: listingCache });

  // Grouped as the REST routes and gRPC handlers take them (ApiUseCases / GrpcUseCases): one object, both drivers.
  return {
    repositories: plain,
    unitOfWork: uow,
    listingCache,
    listings,
    search: {
      listings: new SearchListings({
        index: settings.searchIndex,
        listings: plain.listings,
        listingCache,
        cache: settings.cache,
        metrics,
        ...(settings.searchTtlMs ? { ttlMs: settings.searchTtlMs } : {}),
      }),
      suggest: new SuggestListings({
        index: settings.searchIndex,
        cache: settings.cache,
        metrics,
        ...(settings.searchTtlMs ? { ttlMs: settings.searchTtlMs } : {}),
      }),
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

export type CoreUseCases = ReturnType<typeof buildCoreUseCases>;

/** A cache that holds nothing, for product writes when caching is off. */
const NO_CACHE: Cache = {
  get: async () => undefined,
  getMany: async (keys) => keys.map(() => undefined),
  set: async () => {},
  delete: async () => {},
  generation: async () => undefined,
  bumpGeneration: async () => {},
};
