import type { Principal } from '../../ports/principal.ts';
import { isAppError } from '../domain/errors.ts';
import { productNotFound } from '../domain/product.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';

export interface IncrementProductViewsInput {
  readonly productId: number;
}

export interface IncrementProductViewsResult {
  readonly viewCount: number;
}

/**
 * IncrementProductViews: `view_count += 1` on a live product; missing → NOT_FOUND `products.not_found` (the
 * original answered INTERNAL). Anyone may count a view (no principal needed; rate limiting bounds abuse).
 *
 * The counter keeps the row's `version` (ports/listing-repository.ts), so a stream of views never makes an
 * owner's edit conflict. `views_count` is an indexed, sortable field, so the product is enqueued (flaw #12:
 * the coalescing outbox turns a burst of views into one job, at the unchanged version), and its cached listing
 * is dropped (flaw #14). Search results are not invalidated for a view: a view count up to the search TTL old
 * is fine, and bumping the search generation on every view would empty the search cache.
 */
export class IncrementProductViews {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(
    _caller: Principal | undefined,
    input: IncrementProductViewsInput,
  ): Promise<IncrementProductViewsResult> {
    const v = new Violations();
    const productId = checkEntityId(v, 'product_id', 'product', input.productId);
    v.throwIfAny();
    const { uow, metrics } = this.#deps;
    let viewCount: number;
    try {
      viewCount = await uow.run(async (tx) => {
        const count = await tx.listings.incrementViewCount(productId!, { sourceType: 'b2c' });
        const row = count === null ? null : await tx.listings.findRow(productId!);
        if (count === null || row === null) throw productNotFound(productId);
        await tx.outbox.enqueue([{ listingId: row.id, version: row.version, operation: 'update' }]);
        return count;
      });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'PRODUCT_NOT_FOUND') metrics.productViewFailed();
      throw error;
    }
    metrics.productViewed();
    await invalidateAfterWrite(this.#deps, [productId!], { search: false });
    return { viewCount };
  }
}
