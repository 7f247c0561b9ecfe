import type { Principal } from '../../ports/principal.ts';
import { assertAuthenticated } from '../domain/access.ts';
import type { Product } from '../domain/product.ts';
import { type ProductPatchInput, parseProductPatch } from '../domain/product-changes.ts';
import { applyUpdateMask } from '../domain/product-mask.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import { authorizeStorefront } from './product-access.ts';
import { patchProduct } from './product-patch.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';

export interface UpdateProductInput extends ProductPatchInput {
  readonly productId: number;
  readonly storefrontId: number;
  /**
   * FieldMask paths: proto names (`name`, `is_active`, `stock_quantity`), the original's column names (`title`,
   * `status`, `quantity`) or lowerCamelCase. Unset/empty: every present field applies.
   */
  readonly updateMask?: readonly string[] | null;
}

/**
 * UpdateProduct: a partial update by the storefront's owner (or admin/service). Every field is honoured, sku,
 * barcode, currency, category and the mask included (flaw #22); at least one field must remain after the mask
 * (`products.no_fields_to_update`). See product-patch.ts for the row rules. Answers with the product as stored.
 */
export class UpdateProduct {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: UpdateProductInput): Promise<Product> {
    assertAuthenticated(caller);
    const { productId, storefrontId, updateMask, ...patch } = input;
    const v = new Violations();
    checkEntityId(v, 'product_id', 'product', productId);
    checkEntityId(v, 'storefront_id', 'storefront', storefrontId);
    v.throwIfAny();
    const update = parseProductPatch(applyUpdateMask(patch, updateMask));
    const now = this.#deps.clock.now();
    const outcome = await this.#deps.uow.run(async (tx) => {
      await authorizeStorefront(tx, caller, storefrontId);
      return patchProduct(tx, { storefrontId, productId, update, now, userId: caller.userId ?? null });
    });
    if (outcome.changed) {
      await invalidateAfterWrite(this.#deps, [productId]);
      this.#deps.metrics.listingWritten('updated');
    }
    return outcome.product;
  }
}
