import type { Handlers } from '../context.ts';
import { toListingMessage } from '../mappers/listing-messages.ts';
import { toReindexInput } from '../mappers/listing-requests.ts';
import { unset } from '../mappers/wire-values.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * GetListingsForReindex: keyset batches of searchable listings after `last_id`, with `next_cursor` set until the
 * walk is done (flaw #31). Services and admins only. ResetReindexFlags and SyncDiscounts (no-ops in the original)
 * have no use case and are answered UNIMPLEMENTED.
 */
export function reindexHandlers({ listings }: Pick<GrpcUseCases, 'listings'>): Partial<Handlers> {
  return {
    GetListingsForReindex: async (request, { principal }) => {
      const batch = await listings.reindex.execute(principal, toReindexInput(request));
      return {
        listings: batch.listings.map(toListingMessage),
        total: batch.total,
        nextCursor: unset(batch.nextCursor),
      };
    },
  };
}
