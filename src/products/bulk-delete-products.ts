import type { Principal } from '../../ports/principal.ts';
import { assertAuthenticated } from '../domain/access.ts';
import { type BulkItemError, checkBulkDeleteIds, productNotFoundItem } from '../domain/product-bulk.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import type { CallOptions } from './call-context.ts';
import { assertNotCancelled, assertTimeForBatch, CANCELLATION_CHECK_EVERY } from './operation-deadline.ts';
import { authorizeStorefront } from './product-access.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';

export interface BulkDeleteProductsInput {
  readonly storefrontId: number;
  /** 1..1000, each > 0; repeats are dropped. */
  readonly productIds: readonly number[];
  readonly hardDelete?: boolean;
}

export interface BulkDeleteProductsResult {
  /** Rows deleted. */
  readonly successfulCount: number;
  /** Distinct ids not deleted (missing, deleted already, another storefront's). */
  readonly failedCount: number;
  readonly variantsDeleted: number;
  /** `products.not_found` per id not deleted; `index` is its first position in the input. */
  readonly errors: readonly BulkItemError[];
}

const CANCELLED = 'operation cancelled during validation';

/**
 * BulkDeleteProducts: refuses to start with less than 5 s before the caller's deadline (DEADLINE_EXCEEDED
 * `insufficient time remaining for bulk delete operation`), de-duplicates ids, and deletes in chunks of 100 in
 * one transaction, looking at the deadline and the cancellation signal between chunks (a cancelled call rolls
 * everything back). Soft deletes set `is_deleted` and `deleted_at` (flaw #21). Each deleted product gets its
 * `delete` outbox entry; caches are invalidated after the commit.
 */
export class BulkDeleteProducts {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(
    caller: Principal | undefined,
    input: BulkDeleteProductsInput,
    options: CallOptions = {},
  ): Promise<BulkDeleteProductsResult> {
    assertAuthenticated(caller);
    const { uow, clock, metrics } = this.#deps;
    assertTimeForBatch(clock, options, 'bulk delete');
    const v = new Violations();
    const storefrontId = checkEntityId(v, 'storefront_id', 'storefront', input.storefrontId);
    v.throwIfAny();
    const ids = checkBulkDeleteIds(input.productIds);
    const hard = input.hardDelete === true;
    const at = clock.now();
    const outcome = await uow.run(async (tx) => {
      await authorizeStorefront(tx, caller, storefrontId!);
      const deleted: { id: number; version: number }[] = [];
      let variantsDeleted = 0;
      for (let start = 0; start < ids.length; start += CANCELLATION_CHECK_EVERY) {
        if (start > 0) assertNotCancelled(clock, options, CANCELLED);
        const chunk = ids.slice(start, start + CANCELLATION_CHECK_EVERY);
        const result = await tx.products.deleteMany({ storefrontId: storefrontId!, ids: chunk, hard, at });
        deleted.push(...result.deleted);
        variantsDeleted += result.variantsDeleted;
      }
      await tx.outbox.enqueue(deleted.map((row) => ({ listingId: row.id, version: row.version, operation: 'delete' })));
      return { deleted, variantsDeleted };
    });
    const deletedIds = new Set(outcome.deleted.map((row) => row.id));
    const errors = ids
      .filter((id) => !deletedIds.has(id))
      .map((id) => productNotFoundItem(input.productIds.indexOf(id), id));
    await invalidateAfterWrite(this.#deps, [...deletedIds]);
    for (const _ of deletedIds) metrics.listingWritten('deleted');
    return {
      successfulCount: deletedIds.size,
      failedCount: errors.length,
      variantsDeleted: outcome.variantsDeleted,
      errors,
    };
  }
}
