import type { FastifyPluginAsync } from 'fastify';
import { API_PREFIX } from './call-options.ts';
import { listingRoutes } from './listings.ts';
import type { ApiUseCases } from './use-cases.ts';

/**
 * The REST API under `/api/v1`: every route plugin of this folder (except health, which app.ts registers itself),
 * each given the use cases. The composition root passes the result in `buildHttpApp({ plugins: [...] })`.
 */
export function apiRoutes(useCases: ApiUseCases): FastifyPluginAsync {
  return async (app) => {
    const options = { prefix: API_PREFIX, useCases };
    await app.register(listingRoutes, options);
  };
}
