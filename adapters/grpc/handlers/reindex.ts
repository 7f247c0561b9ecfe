import { AppError } from '../../../src/domain/errors.ts';
import type { Handlers } from '../context.ts';
import { toListingMessage } from '../mappers/listing-messages.ts';
import { toReindexInput } from '../mappers/listing-requests.ts';
import { unset } from '../mappers/wire-values.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * GetListingsForReindex: keyset batches of searchable listings after `last_id`, with `next_cursor` set until the
 * walk is done (flaw #31). Services and admins only. ResetReindexFlags puts the named listings back in the outbox
 * (RequestReindex). SyncDiscounts succeeds and does nothing, as the original: this service keeps no discounts, and
 * answering UNIMPLEMENTED would break callers that only ever saw OK.
 */
export function reindexHandlers({ listings }: Pick<GrpcUseCases, 'listings'>): Partial<Handlers> {
  return {
    ResetReindexFlags: async (request, { principal }) => {
      if (!listings.requestReindex) throw new AppError('NOT_IMPLEMENTED', 'method ResetReindexFlags not implemented');
      await listings.requestReindex.execute(principal, { listingIds: request.listingIds });
      return {};
    },
    SyncDiscounts: async () => ({}),
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
