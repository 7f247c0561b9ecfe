/**
 * All gRPC handlers, built from the use cases: `createGrpcServer({ handlers: buildHandlers(useCases), ... })`.
 * An RPC left out here answers UNIMPLEMENTED `method <Rpc> not implemented`.
 */
import type { Handlers } from '../context.ts';
import { categoryHandlers } from './categories.ts';
import { favoriteHandlers } from './favorites.ts';
import { imageHandlers } from './images.ts';
import { inventoryHandlers } from './inventory.ts';
import { legacyVariantHandlers } from './legacy-variants.ts';
import { listingHandlers } from './listings.ts';
import { productBulkHandlers } from './product-bulk.ts';
import { productVariantHandlers } from './product-variants.ts';
import { productHandlers } from './products.ts';
import { reindexHandlers } from './reindex.ts';
import { searchHandlers } from './search.ts';
import { stockHandlers } from './stock.ts';
import { storefrontHandlers } from './storefronts.ts';
import type { GrpcUseCases } from './use-cases.ts';

export type { GrpcUseCases } from './use-cases.ts';

export function buildHandlers(useCases: GrpcUseCases): Handlers {
  return {
    ...listingHandlers(useCases),
    ...searchHandlers(useCases),
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
