import type { Principal } from '../../ports/principal.ts';
import type { BulkItemError } from '../domain/product-bulk.ts';
import {
  checkVariantInput,
  type NewVariant,
  type ProductVariant,
  type VariantInput,
} from '../domain/product-variant.ts';
import { atIndex, Violations } from '../domain/validation.ts';
import { checkVariantBatch } from '../domain/variant-rules.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';
import { lockVariantParent, requireProductId } from './variant-parent.ts';
import { addVariants, enqueueParent } from './variant-writes.ts';

export interface BulkCreateProductVariantsInput {
  readonly productId: number;
  /** 1..1000, at most one `isDefault`. */
  readonly variants: readonly VariantInput[];
}

export interface BulkCreateProductVariantsResult {
  /** In input order. */
  readonly variants: readonly ProductVariant[];
  readonly successfulCount: number;
  /** Always 0: the batch is all-or-nothing. */
  readonly failedCount: number;
  /** Always empty. */
  readonly errors: readonly BulkItemError[];
}

/**
 * BulkCreateProductVariants: all or nothing, on purpose (the contract says `failed_count` is always 0): a product's
 * variants are one option matrix, and half of it is worse than none. Every input problem is reported at once
 * (`stock_quantity at index 2 cannot be negative`, reason `variants.invalid_stock_quantity` when a stock is
 * bad); a SKU repeated in the batch or already used in the product fails the batch with ALREADY_EXISTS
 * `variants.sku_duplicate`. Parent and default rules as in CreateProductVariant.
 */
export class BulkCreateProductVariants {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(
    caller: Principal | undefined,
    input: BulkCreateProductVariantsInput,
  ): Promise<BulkCreateProductVariantsResult> {
    const productId = requireProductId(input.productId);
    checkVariantBatch(input.variants);
    const rows = validateAll(productId, input.variants);
    const variants = await this.#deps.uow.run(async (tx) => {
      const parent = await lockVariantParent(tx, caller, productId);
      const created = await addVariants(tx, productId, rows);
      await enqueueParent(tx, parent);
      return created;
    });
    await invalidateAfterWrite(this.#deps, [productId]);
    return { variants, successfulCount: variants.length, failedCount: 0, errors: [] };
  }
}

function validateAll(productId: number, inputs: readonly VariantInput[]): NewVariant[] {
  const all = new Violations();
  let badStock = false;
  const rows: NewVariant[] = [];
  inputs.forEach((input, index) => {
    const item = new Violations();
    const row = checkVariantInput(item, productId, input);
    badStock ||= item.has('stock_quantity');
    all.addAll(atIndex(item.items, 'variants', index));
    if (row !== undefined) rows.push(row);
  });
  all.throwIfAny(badStock ? 'variants.invalid_stock_quantity' : undefined);
  return rows;
}
