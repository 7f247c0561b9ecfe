import type { Principal } from '../../ports/principal.ts';
import type { ProductRepository } from '../../ports/product-repository.ts';
import type { ProductVariant } from '../domain/product-variant.ts';
import { variantNotFound } from '../domain/variant-rules.ts';
import { requireProductId, requireVariantId } from './variant-parent.ts';

export interface VariantReadDeps {
  readonly products: ProductRepository;
}

export interface GetVariantInput {
  readonly variantId: number;
  /** > 0: the variant must belong to this product. */
  readonly productId?: number | null;
}

export interface GetVariantsByProductInput {
  readonly productId: number;
  /** Default false. */
  readonly isActiveOnly?: boolean;
}

/**
 * GetVariant (missing or another product's → NOT_FOUND `variants.not_found`; the original answered INTERNAL) and
 * GetVariantsByProductID (default first, then id; an unknown product has no variants). Public reads.
 */
export class GetVariants {
  readonly #deps: VariantReadDeps;

  constructor(deps: VariantReadDeps) {
    this.#deps = deps;
  }

  async byId(_caller: Principal | undefined, input: GetVariantInput): Promise<ProductVariant> {
    const variantId = requireVariantId(input.variantId);
    const productId = input.productId == null || input.productId === 0 ? undefined : requireProductId(input.productId);
    const variant = await this.#deps.products.findVariant(variantId, productId === undefined ? {} : { productId });
    if (variant === null) throw variantNotFound(variantId);
    return variant;
  }

  async byProduct(_caller: Principal | undefined, input: GetVariantsByProductInput): Promise<ProductVariant[]> {
    const productId = requireProductId(input.productId);
    return this.#deps.products.listVariants(productId, { activeOnly: input.isActiveOnly === true });
  }
}
