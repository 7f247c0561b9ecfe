import type { Principal } from '../../ports/principal.ts';
import type { TransactionScope } from '../../ports/unit-of-work.ts';
import {
  applyVariantChanges,
  type ProductVariant,
  parseVariantPatch,
  type VariantPatchInput,
} from '../domain/product-variant.ts';
import { applyMovement, type StockTarget } from '../domain/stock.ts';
import { assertCanDeactivate, defaultAfterUpdate, variantNotFound } from '../domain/variant-rules.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';
import { applyVariantMask } from './variant-mask.ts';
import { lockVariantParent, requireProductId, requireVariantId } from './variant-parent.ts';
import { enqueueParent } from './variant-writes.ts';

export interface UpdateProductVariantInput extends VariantPatchInput {
  readonly variantId: number;
  /** The variant must belong to it. */
  readonly productId: number;
  readonly updateMask?: readonly string[] | null;
}

/**
 * UpdateProductVariant: a partial update (≥ 1 field after the mask). Rules (variant-rules.ts): the last active
 * variant cannot be deactivated (FAILED_PRECONDITION `variants.last_variant`); `is_default=true` takes the default,
 * `false` on the default hands it to the lowest other id. A stock change is written through the inventory port as
 * an `adjustment` movement (reason `variant_update`), so it has its audit row; `stock_status` follows.
 */
export class UpdateProductVariant {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: UpdateProductVariantInput): Promise<ProductVariant> {
    const { variantId: rawVariantId, productId: rawProductId, updateMask, ...patch } = input;
    const variantId = requireVariantId(rawVariantId);
    const productId = requireProductId(rawProductId);
    const requested = parseVariantPatch(applyVariantMask(patch, updateMask));
    const { variant, changed } = await this.#deps.uow.run(async (tx) => {
      const parent = await lockVariantParent(tx, caller, productId);
      const variants = await tx.products.listVariants(productId);
      const current = variants.find((item) => item.id === variantId);
      if (current === undefined) throw variantNotFound(variantId);
      if (requested.isActive === false) assertCanDeactivate(productId, variants, variantId);
      const {
        isDefault: _default,
        stockQuantity,
        stockStatus: _derived,
        ...columns
      } = applyVariantChanges(current, requested);
      if (stockQuantity !== undefined) {
        await adjustStock(tx, { productId, variantId }, stockQuantity, caller?.userId ?? null);
      }
      if (Object.keys(columns).length > 0) await tx.products.updateVariant(variantId, columns);
      const wanted = defaultAfterUpdate(variants, variantId, requested.isDefault);
      const before = variants.find((item) => item.isDefault)?.id ?? null;
      if (wanted !== before) await tx.products.setDefaultVariant(productId, wanted);
      const changed = stockQuantity !== undefined || Object.keys(columns).length > 0 || wanted !== before;
      if (changed) await enqueueParent(tx, parent);
      const stored = await tx.products.findVariant(variantId, { productId });
      if (stored === null) throw variantNotFound(variantId);
      return { variant: stored, changed };
    });
    if (changed) await invalidateAfterWrite(this.#deps, [productId]);
    return variant;
  }
}

async function adjustStock(tx: TransactionScope, target: StockTarget, quantity: number, userId: number | null) {
  const [level] = await tx.inventory.lockStock([target]);
  if (level === undefined) throw variantNotFound(target.variantId!);
  const change = applyMovement(target, 'adjustment', level.quantity, quantity);
  await tx.inventory.writeStock({
    target,
    before: change.before,
    after: change.after,
    movement: { type: 'adjustment', reason: 'variant_update', userId },
  });
}
