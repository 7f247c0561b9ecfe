import type { Handlers } from '../context.ts';
import { toListingMessage } from '../mappers/listing-messages.ts';
import { toSearchListingsInput } from '../mappers/listing-requests.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * SearchListings: public, over the search index (OpenSearch, or PostgreSQL full text), answering with the current
 * rows of the hits (flaw #15) and `total` over every match, cached or not (flaw #13). An empty query browses the
 * newest active listings (flaw #16: the original answered INTERNAL).
 */
export function searchHandlers({ search }: Pick<GrpcUseCases, 'search'>): Partial<Handlers> {
  return {
    SearchListings: async (request) => {
      const result = await search.listings.execute(toSearchListingsInput(request));
      return { listings: result.listings.map(toListingMessage), total: result.total };
    },
  };
}
