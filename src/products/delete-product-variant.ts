import type { Principal } from '../../ports/principal.ts';
import { defaultAfterDelete, variantNotFound } from '../domain/variant-rules.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';
import { lockVariantParent, requireProductId, requireVariantId } from './variant-parent.ts';
import { enqueueParent } from './variant-writes.ts';

export interface DeleteProductVariantInput {
  readonly variantId: number;
  /** The variant must belong to it. */
  readonly productId: number;
}

export interface DeleteProductVariantResult {
  readonly success: true;
  readonly message: string;
}

/**
 * DeleteProductVariant (hard delete). Deleting the default promotes the lowest remaining id (the original's
 * UPDATE … ORDER BY … LIMIT was invalid SQL, flaw #28); deleting the last variant clears the product's
 * `has_variants` (a product write: new version, `update` outbox entry).
 */
export class DeleteProductVariant {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: DeleteProductVariantInput): Promise<DeleteProductVariantResult> {
    const variantId = requireVariantId(input.variantId);
    const productId = requireProductId(input.productId);
    await this.#deps.uow.run(async (tx) => {
      const parent = await lockVariantParent(tx, caller, productId);
      const variants = await tx.products.listVariants(productId);
      const target = variants.find((variant) => variant.id === variantId);
      if (target === undefined) throw variantNotFound(variantId);
      await tx.products.deleteVariant(variantId);
      if (variants.length === 1) {
        const updated = await tx.listings.update(productId, null, { hasVariants: false });
        await enqueueParent(tx, updated);
        return;
      }
      if (target.isDefault) await tx.products.setDefaultVariant(productId, defaultAfterDelete(variants, variantId));
      await enqueueParent(tx, parent);
    });
    await invalidateAfterWrite(this.#deps, [productId]);
    return { success: true, message: 'Variant deleted successfully' };
  }
}
