import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { Principal } from '../../ports/principal.ts';
import { assertService } from '../domain/access.ts';
import type { ListingDetails } from '../domain/listing.ts';
import { reindexBatchSize } from '../domain/pagination.ts';
import { Violations } from '../domain/validation.ts';

export interface ListingsForReindexDeps {
  readonly listings: ListingRepository;
}

export interface ListingsForReindexInput {
  /** ≤ 0 or unset → 100; > 1000 → 1000. */
  readonly batchSize?: number | null;
  /** The previous batch's `nextCursor`; unset or 0 starts from the beginning. */
  readonly lastId?: number | null;
}

export interface ListingsForReindexResult {
  readonly listings: readonly ListingDetails[];
  /** How many this batch holds (the original's `total`). */
  readonly total: number;
  /** The `lastId` of the next call; null when the walk is done. */
  readonly nextCursor: number | null;
}

/**
 * GetListingsForReindex: the searchable listings (active, public, live) in id order, a keyset batch after `lastId`
 * with their side rows (flaw #31: the original ignored the cursor, never set `next_cursor` and included deleted
 * rows). For back-end services and admins only.
 */
export class ListingsForReindex {
  readonly #deps: ListingsForReindexDeps;

  constructor(deps: ListingsForReindexDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: ListingsForReindexInput): Promise<ListingsForReindexResult> {
    assertService(caller);
    const afterId = input.lastId ?? 0;
    const v = new Violations();
    if (!Number.isSafeInteger(afterId) || afterId < 0) v.add('last_id', 'negative', 'last_id cannot be negative');
    v.throwIfAny();
    const batch = await this.#deps.listings.listForReindex({
      afterId,
      limit: reindexBatchSize(input.batchSize),
      scope: 'searchable',
    });
    return { listings: batch.items, total: batch.items.length, nextCursor: batch.nextAfterId };
  }
}
