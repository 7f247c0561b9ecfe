/**
 * All gRPC handlers, built from the use cases: `createGrpcServer({ handlers: buildHandlers(useCases), ... })`.
 * An RPC left out here answers UNIMPLEMENTED `method <Rpc> not implemented`.
 */
import type { Handlers } from '../context.ts';
import { type CategoryHandlerDeps, categoryHandlers } from './categories.ts';
import { type FavoriteHandlerDeps, favoriteHandlers } from './favorites.ts';
import { type ImageHandlerDeps, imageHandlers } from './images.ts';
import { type InventoryHandlerDeps, inventoryHandlers } from './inventory.ts';
import { legacyVariantHandlers } from './legacy-variants.ts';
import { type ListingHandlerDeps, listingHandlers } from './listings.ts';
import { type ProductBulkHandlerDeps, productBulkHandlers } from './product-bulk.ts';
import { type ProductVariantHandlerDeps, productVariantHandlers } from './product-variants.ts';
import { type ProductHandlerDeps, productHandlers } from './products.ts';
import { type ReindexHandlerDeps, reindexHandlers } from './reindex.ts';
import { type StockHandlerDeps, stockHandlers } from './stock.ts';
import { type StorefrontHandlerDeps, storefrontHandlers } from './storefronts.ts';

/** Every use case the handlers call, by the name the composition root gives it. */
export type GrpcUseCases = ListingHandlerDeps &
  ReindexHandlerDeps &
  ImageHandlerDeps &
  CategoryHandlerDeps &
  FavoriteHandlerDeps &
  StorefrontHandlerDeps &
  ProductHandlerDeps &
  ProductBulkHandlerDeps &
  ProductVariantHandlerDeps &
  StockHandlerDeps &
  InventoryHandlerDeps;

export function buildHandlers(useCases: GrpcUseCases): Handlers {
  return {
    ...listingHandlers(useCases),
    ...reindexHandlers(useCases),
    ...imageHandlers(useCases),
    ...categoryHandlers(useCases),
    ...favoriteHandlers(useCases),
    ...storefrontHandlers(useCases),
    ...legacyVariantHandlers(),
    ...productHandlers(useCases),
    ...productBulkHandlers(useCases),
    ...productVariantHandlers(useCases),
    ...stockHandlers(useCases),
    ...inventoryHandlers(useCases),
  };
}
