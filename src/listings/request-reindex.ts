import type { Principal } from '../../ports/principal.ts';
import type { UnitOfWork } from '../../ports/unit-of-work.ts';
import { assertService } from '../domain/access.ts';
import { validationError } from '../domain/errors.ts';

export interface RequestReindexDeps {
  readonly uow: UnitOfWork;
}

/** At most this many ids per call, as the other batch RPCs. */
const MAX_IDS = 1000;

/**
 * ResetReindexFlags. The original kept per-listing "needs reindex" flags and this RPC cleared them (it was a
 * no-op at the end). Here the outbox is the record of what the index still needs, so the faithful meaning is the
 * opposite act done right: put each named listing back in the outbox at its current version, so the worker
 * re-reads and re-indexes (or removes) it. Unknown ids are skipped, as the original ignored them. Services only.
 */
export class RequestReindex {
  readonly #deps: RequestReindexDeps;

  constructor(deps: RequestReindexDeps) {
    this.#deps = deps;
  }

  async execute(
    caller: Principal | undefined,
    input: { readonly listingIds: readonly number[] },
  ): Promise<{ readonly enqueued: number }> {
    assertService(caller);
    const ids = [...new Set(input.listingIds)];
    const bad = ids.filter((id) => !Number.isSafeInteger(id) || id <= 0);
    if (bad.length > 0) {
      throw validationError([
        { field: 'listing_ids', reason: 'invalid_id', message: 'listing ID must be greater than 0' },
      ]);
    }
    if (ids.length > MAX_IDS) {
      throw validationError([
        { field: 'listing_ids', reason: 'too_many', message: `cannot reindex more than ${MAX_IDS} listings at once` },
      ]);
    }
    if (ids.length === 0) return { enqueued: 0 };
    return this.#deps.uow.run(async (tx) => {
      const entries = [];
      for (const id of ids) {
        const row = await tx.listings.findRow(id, { includeDeleted: true });
        if (row)
          entries.push({
            listingId: id,
            version: row.version,
            operation: row.isDeleted ? ('delete' as const) : ('index' as const),
          });
      }
      if (entries.length > 0) await tx.outbox.enqueue(entries);
      return { enqueued: entries.length };
    });
  }
}
