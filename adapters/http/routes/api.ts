import type { FastifyPluginAsync } from 'fastify';
import { API_PREFIX } from './call-options.ts';
import { categoryRoutes } from './categories.ts';
import { favoriteRoutes } from './favorites.ts';
import { imageRoutes } from './images.ts';
import { listingRoutes } from './listings.ts';
import { productBulkRoutes } from './product-bulk.ts';
import { productRoutes } from './products.ts';
import { searchRoutes } from './search.ts';
import { stockRoutes } from './stock.ts';
import { storefrontRoutes } from './storefronts.ts';
import type { ApiUseCases } from './use-cases.ts';
import { variantRoutes } from './variants.ts';

/**
 * The REST API under `/api/v1`: every route plugin of this folder (health is registered by app.ts itself), each
 * given the use cases. The composition root passes the result to `buildHttpApp({ plugins: [apiRoutes(useCases)] })`.
 */
export function apiRoutes(useCases: ApiUseCases): FastifyPluginAsync {
  return async (app) => {
    const options = { prefix: API_PREFIX, useCases };
    await app.register(searchRoutes, options);
    await app.register(listingRoutes, options);
    await app.register(imageRoutes, options);
    await app.register(favoriteRoutes, options);
    await app.register(categoryRoutes, options);
    await app.register(storefrontRoutes, options);
    await app.register(productRoutes, options);
    await app.register(productBulkRoutes, options);
    await app.register(variantRoutes, options);
    await app.register(stockRoutes, options);
  };
}
