import type { Handlers } from '../context.ts';
import { toListingMessage } from '../mappers/listing-messages.ts';
import { toSearchListingsInput } from '../mappers/listing-requests.ts';
import type { GrpcUseCases } from './use-cases.ts';

/** Response metadata naming the engine that answered a search: `opensearch` or `postgres`. */
export const SEARCH_ENGINE_METADATA_KEY = 'x-search-engine';

/**
 * SearchListings: public, over the search index (OpenSearch, or PostgreSQL full text), answering with the current
 * rows of the hits (flaw #15) and `total` over every match, cached or not (flaw #13). An empty query browses the
 * newest active listings (flaw #16: the original answered INTERNAL).
 *
 * The engine that answered goes in the response's initial metadata (`x-search-engine`), never in a proto field, so
 * the message stays wire-identical to the original's: `postgres` while OpenSearch is configured means its fallback
 * answered (results as fresh as the index was when OpenSearch went down).
 */
export function searchHandlers({ search }: Pick<GrpcUseCases, 'search'>): Partial<Handlers> {
  return {
    SearchListings: async (request, context) => {
      const result = await search.listings.execute(toSearchListingsInput(request));
      context.responseMetadata.set(SEARCH_ENGINE_METADATA_KEY, result.servedBy);
      return { listings: result.listings.map(toListingMessage), total: result.total };
    },
  };
}
