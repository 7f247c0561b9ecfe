import type { Principal } from '../../ports/principal.ts';
import { assertAuthenticated } from '../domain/access.ts';
import { productNotFound } from '../domain/product.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import { authorizeStorefront } from './product-access.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';

export interface DeleteProductInput {
  readonly productId: number;
  readonly storefrontId: number;
  /** false: soft delete (`is_deleted` and `deleted_at`, both: flaw #21); true: remove the row and its variants. */
  readonly hardDelete?: boolean;
}

export interface DeleteProductResult {
  readonly success: true;
  /** `Product soft deleted successfully` / `Product hard deleted successfully`. */
  readonly message: string;
  /** Variants removed by a hard delete (the original always said 0). */
  readonly variantsDeleted: number;
}

/**
 * DeleteProduct: by the storefront's owner (or admin/service); a missing, already deleted or other storefront's
 * product → `products.not_found`. The `delete` outbox entry commits with the delete (it outlives a hard-deleted
 * row), and the listing and search caches are invalidated after the commit (flaw #14, hard deletes included).
 */
export class DeleteProduct {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: DeleteProductInput): Promise<DeleteProductResult> {
    assertAuthenticated(caller);
    const v = new Violations();
    const productId = checkEntityId(v, 'product_id', 'product', input.productId);
    const storefrontId = checkEntityId(v, 'storefront_id', 'storefront', input.storefrontId);
    v.throwIfAny();
    const hard = input.hardDelete === true;
    const at = this.#deps.clock.now();
    const result = await this.#deps.uow.run(async (tx) => {
      await authorizeStorefront(tx, caller, storefrontId!);
      const deleted = await tx.products.deleteMany({ storefrontId: storefrontId!, ids: [productId!], hard, at });
      const row = deleted.deleted[0];
      if (row === undefined) throw productNotFound(productId);
      await tx.outbox.enqueue([{ listingId: row.id, version: row.version, operation: 'delete' }]);
      return deleted;
    });
    await invalidateAfterWrite(this.#deps, [productId!]);
    this.#deps.metrics.listingWritten('deleted');
    return {
      success: true,
      message: hard ? 'Product hard deleted successfully' : 'Product soft deleted successfully',
      variantsDeleted: result.variantsDeleted,
    };
  }
}
