import type { Principal } from '../../ports/principal.ts';
import { type ProductVariant, type VariantInput, validateVariantInput } from '../domain/product-variant.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';
import { lockVariantParent, requireProductId } from './variant-parent.ts';
import { addVariants, enqueueParent } from './variant-writes.ts';

export interface CreateProductVariantInput extends VariantInput {
  readonly productId: number;
}

/**
 * CreateProductVariant: the parent must be a live, non-archived b2c product with `has_variants`
 * (`variants.product_not_found` / `variants.product_no_variants`), written by its storefront's owner or an
 * admin/service. Created active (`is_active` cannot be told from unset in the message); stock 0 allowed;
 * `stock_status` from stock and threshold (0 → out_of_stock, ≤ threshold → low_stock). `is_default` takes the
 * default from the others; the first variant of a product becomes its default anyway. A SKU already used in the
 * product → ALREADY_EXISTS `variants.sku_duplicate`.
 */
export class CreateProductVariant {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: CreateProductVariantInput): Promise<ProductVariant> {
    const productId = requireProductId(input.productId);
    const row = validateVariantInput(productId, input);
    const variant = await this.#deps.uow.run(async (tx) => {
      const parent = await lockVariantParent(tx, caller, productId);
      const [created] = await addVariants(tx, productId, [row]);
      await enqueueParent(tx, parent);
      return created!;
    });
    await invalidateAfterWrite(this.#deps, [productId]);
    return variant;
  }
}
