/**
 * Every use case the gRPC handlers call, on the real SQL adapters of one database, the PostgreSQL search index and an
 * in-process cache; and what the indexing worker would do for one listing (tests index by hand).
 */
import type { Knex } from 'knex';
import type { GrpcUseCases } from '../../../../adapters/grpc/handlers/index.ts';
import { MemoryCache } from '../../../../adapters/memory/cache/memory-cache.ts';
import { PgSearchIndex } from '../../../../adapters/pgsearch/pg-search-index.ts';
import { KnexUnitOfWork } from '../../../../adapters/sql/knex-unit-of-work.ts';
import { createPlainRepositories } from '../../../../adapters/sql/sql-repositories.ts';
import type { Clock } from '../../../../ports/clock.ts';
import { NO_METRICS } from '../../../../ports/core-metrics.ts';
import { CategoryQueries } from '../../../../src/categories/category-queries.ts';
import { ChangeFavorite } from '../../../../src/favorites/change-favorite.ts';
import { FavoriteQueries } from '../../../../src/favorites/favorite-queries.ts';
import { ChangeListingImages } from '../../../../src/images/change-listing-images.ts';
import { ImageQueries } from '../../../../src/images/image-queries.ts';
import { BatchUpdateStock } from '../../../../src/inventory/batch-update-stock.ts';
import { CheckStockAvailability } from '../../../../src/inventory/check-stock-availability.ts';
import { DecrementStock } from '../../../../src/inventory/decrement-stock.ts';
import { RecordInventoryMovement } from '../../../../src/inventory/record-inventory-movement.ts';
import { RollbackStock } from '../../../../src/inventory/rollback-stock.ts';
import { CreateListing } from '../../../../src/listings/create-listing.ts';
import { DeleteListing } from '../../../../src/listings/delete-listing.ts';
import { GetListing } from '../../../../src/listings/get-listing.ts';
import { ListListings } from '../../../../src/listings/list-listings.ts';
import { ListingCache } from '../../../../src/listings/listing-cache.ts';
import { ListingsForReindex } from '../../../../src/listings/listings-for-reindex.ts';
import { UpdateListing } from '../../../../src/listings/update-listing.ts';
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
import { buildSearchDocument } from '../../../../src/search/search-document.ts';
import { SEARCH_CACHE_NAMESPACE, SearchListings } from '../../../../src/search/search-listings.ts';
import { StorefrontQueries } from '../../../../src/storefronts/storefront-queries.ts';

const clock: Clock = { now: () => new Date(), monotonicMs: () => performance.now() };

export interface TestBackend {
  readonly useCases: GrpcUseCases;
  /** Writes the listing's search document (or removes it when it is not searchable), as the worker would. */
  indexListing(id: number): Promise<void>;
}

export function buildBackend(knex: Knex): TestBackend {
  const plain = createPlainRepositories(knex);
  const uow = new KnexUnitOfWork(knex);
  const metrics = NO_METRICS;
  const cache = new MemoryCache();
  const listingCache = new ListingCache({ cache, metrics });
  const ids = { uuid: () => crypto.randomUUID() };
  const listingWrites = { uow, clock, cache: listingCache, metrics };
  const productWrites = { uow, clock, metrics, cache, listingCache };
  const productReads = { products: plain.products };
  const changeImages = new ChangeListingImages({ uow, cache: listingCache });
  const index = new PgSearchIndex({ knex });
  const useCases: GrpcUseCases = {
    search: { listings: new SearchListings({ index, listings: plain.listings, listingCache, cache, metrics }) },
    listings: {
      get: new GetListing({ listings: plain.listings, cache: listingCache }),
      list: new ListListings({ listings: plain.listings }),
      create: new CreateListing({ ...listingWrites, ids }),
      update: new UpdateListing(listingWrites),
      delete: new DeleteListing(listingWrites),
      reindex: new ListingsForReindex({ listings: plain.listings }),
    },
    images: {
      queries: new ImageQueries({ images: plain.images, listings: plain.listings }),
      change: changeImages,
      delete: changeImages,
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
  return {
    useCases,
    async indexListing(id) {
      const row = await plain.listings.findById(id);
      const document = row === null ? null : buildSearchDocument(row);
      if (document !== null) await index.upsert([document]);
      else {
        const stored = await plain.listings.findRow(id, { includeDeleted: true });
        await index.remove([{ id, version: (stored?.version ?? 0) + 1 }]);
      }
      await cache.bumpGeneration(SEARCH_CACHE_NAMESPACE);
    },
  };
}
