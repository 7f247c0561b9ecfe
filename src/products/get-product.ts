import type { Principal } from '../../ports/principal.ts';
import type { ProductRepository } from '../../ports/product-repository.ts';
import { type Product, productNotFound } from '../domain/product.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';

export interface ProductReadDeps {
  /** The plain (non-transactional) repository: each read is its own statement. */
  readonly products: ProductRepository;
}

export interface GetProductInput {
  readonly productId: number;
  /** > 0 restricts the read to this storefront (the original's ownership filter); 0/unset: any storefront. */
  readonly storefrontId?: number | null;
  /** Fill `variants` (default first, then id). The original never did; default false. */
  readonly withVariants?: boolean;
}

/**
 * GetProduct: a live product of any status. Missing, deleted, c2c or outside the named storefront → NOT_FOUND
 * `products.not_found` (the original answered INTERNAL). Product reads are public, as in the original: the
 * catalogue is what storefront pages show; the principal is accepted for a uniform call shape.
 */
export class GetProduct {
  readonly #deps: ProductReadDeps;

  constructor(deps: ProductReadDeps) {
    this.#deps = deps;
  }

  async execute(_caller: Principal | undefined, input: GetProductInput): Promise<Product> {
    const v = new Violations();
    const productId = checkEntityId(v, 'product_id', 'product', input.productId);
    const storefrontId = optionalStorefrontId(v, input.storefrontId);
    v.throwIfAny();
    const product = await this.#deps.products.findById(productId!, {
      ...(storefrontId === undefined ? {} : { storefrontId }),
      withVariants: input.withVariants === true,
    });
    if (product === null) throw productNotFound(productId);
    return product;
  }
}

/** An optional storefront filter: unset, null and 0 (proto3's "unset") mean none; negative is a violation. */
export function optionalStorefrontId(v: Violations, value: number | null | undefined): number | undefined {
  if (value == null || value === 0) return undefined;
  return checkEntityId(v, 'storefront_id', 'storefront', value);
}
