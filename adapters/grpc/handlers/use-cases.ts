/**
 * The use cases the gRPC handlers drive, grouped as REST's `ApiUseCases` (adapters/http/routes/use-cases.ts) groups
 * them, with the same member names, so the composition root can build one object and hand it to both drivers.
 * Each member is typed by the methods the handlers call, so a test may pass a stand-in.
 */
import type { CategoryQueries } from '../../../src/categories/category-queries.ts';
import type { ChangeFavorite } from '../../../src/favorites/change-favorite.ts';
import type { FavoriteQueries } from '../../../src/favorites/favorite-queries.ts';
import type { ChangeListingImages } from '../../../src/images/change-listing-images.ts';
import type { ImageQueries } from '../../../src/images/image-queries.ts';
import type { BatchUpdateStock } from '../../../src/inventory/batch-update-stock.ts';
import type { CheckStockAvailability } from '../../../src/inventory/check-stock-availability.ts';
import type { DecrementStock } from '../../../src/inventory/decrement-stock.ts';
import type { RecordInventoryMovement } from '../../../src/inventory/record-inventory-movement.ts';
import type { RollbackStock } from '../../../src/inventory/rollback-stock.ts';
import type { CreateListing } from '../../../src/listings/create-listing.ts';
import type { DeleteListing } from '../../../src/listings/delete-listing.ts';
import type { GetListing } from '../../../src/listings/get-listing.ts';
import type { ListListings } from '../../../src/listings/list-listings.ts';
import type { ListingsForReindex } from '../../../src/listings/listings-for-reindex.ts';
import type { RequestReindex } from '../../../src/listings/request-reindex.ts';
import type { UpdateListing } from '../../../src/listings/update-listing.ts';
import type { BulkCreateProductVariants } from '../../../src/products/bulk-create-product-variants.ts';
import type { BulkCreateProducts } from '../../../src/products/bulk-create-products.ts';
import type { BulkDeleteProducts } from '../../../src/products/bulk-delete-products.ts';
import type { BulkUpdateProducts } from '../../../src/products/bulk-update-products.ts';
import type { CreateProduct } from '../../../src/products/create-product.ts';
import type { CreateProductVariant } from '../../../src/products/create-product-variant.ts';
import type { DeleteProduct } from '../../../src/products/delete-product.ts';
import type { DeleteProductVariant } from '../../../src/products/delete-product-variant.ts';
import type { FindProducts } from '../../../src/products/find-products.ts';
import type { GetProduct } from '../../../src/products/get-product.ts';
import type { GetVariants } from '../../../src/products/get-variants.ts';
import type { IncrementProductViews } from '../../../src/products/increment-product-views.ts';
import type { ListProducts } from '../../../src/products/list-products.ts';
import type { GetProductStats } from '../../../src/products/product-stats.ts';
import type { UpdateProduct } from '../../../src/products/update-product.ts';
import type { UpdateProductVariant } from '../../../src/products/update-product-variant.ts';
import type { SearchListings } from '../../../src/search/search-listings.ts';
import type { StorefrontQueries } from '../../../src/storefronts/storefront-queries.ts';

type Execute<T extends { execute: unknown }> = Pick<T, 'execute'>;

export interface ListingUseCases {
  readonly get: Execute<GetListing>;
  readonly list: Execute<ListListings>;
  readonly create: Execute<CreateListing>;
  readonly update: Execute<UpdateListing>;
  readonly delete: Execute<DeleteListing>;
  /** GetListingsForReindex (no REST route serves it). */
  readonly reindex: Execute<ListingsForReindex>;
  /** ResetReindexFlags: re-enqueue listings in the outbox. */
  readonly requestReindex?: Execute<RequestReindex>;
}

export interface ImageUseCases {
  readonly queries: Pick<ImageQueries, 'get' | 'list'>;
  readonly change: Pick<ChangeListingImages, 'add'>;
  /** `ChangeListingImages` (the row only) or `DeleteStoredImage` (the row, then its stored objects). */
  readonly delete: Pick<ChangeListingImages, 'delete'>;
}

export interface FavoriteUseCases {
  readonly change: Pick<ChangeFavorite, 'add' | 'remove'>;
  readonly queries: Pick<FavoriteQueries, 'userFavorites' | 'isFavorite' | 'favoritedUsers'>;
}

export interface ProductUseCases {
  readonly get: Execute<GetProduct>;
  readonly find: Pick<FindProducts, 'byIds' | 'bySkus'>;
  readonly list: Execute<ListProducts>;
  readonly create: Execute<CreateProduct>;
  readonly update: Execute<UpdateProduct>;
  readonly delete: Execute<DeleteProduct>;
  readonly bulkCreate: Execute<BulkCreateProducts>;
  readonly bulkUpdate: Execute<BulkUpdateProducts>;
  readonly bulkDelete: Execute<BulkDeleteProducts>;
}

export interface VariantUseCases {
  readonly read: Pick<GetVariants, 'byId' | 'byProduct'>;
  readonly create: Execute<CreateProductVariant>;
  readonly update: Execute<UpdateProductVariant>;
  readonly delete: Execute<DeleteProductVariant>;
  readonly bulkCreate: Execute<BulkCreateProductVariants>;
}

/** Stock, inventory, and (as REST groups them) product stats and views. */
export interface StockUseCases {
  readonly decrement: Execute<DecrementStock>;
  readonly rollback: Execute<RollbackStock>;
  readonly check: Execute<CheckStockAvailability>;
  readonly movement: Execute<RecordInventoryMovement>;
  readonly batchUpdate: Execute<BatchUpdateStock>;
  readonly stats: Execute<GetProductStats>;
  readonly views: Execute<IncrementProductViews>;
}

export interface SearchUseCases {
  readonly listings: Execute<SearchListings>;
}

export interface GrpcUseCases {
  readonly listings: ListingUseCases;
  readonly search: SearchUseCases;
  readonly images: ImageUseCases;
  readonly favorites: FavoriteUseCases;
  readonly categories: Pick<CategoryQueries, 'all' | 'roots' | 'popular' | 'byId' | 'tree'>;
  readonly storefronts: Pick<StorefrontQueries, 'byId' | 'bySlug' | 'list'>;
  readonly products: ProductUseCases;
  readonly variants: VariantUseCases;
  readonly stock: StockUseCases;
}
