import type { Principal } from '../../ports/principal.ts';
import type { ProductRepository, ProductStats } from '../../ports/product-repository.ts';
import type { StorefrontRepository } from '../../ports/storefront-repository.ts';
import { assertAuthenticated, assertStorefrontOwner, isTrusted } from '../domain/access.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';

export interface ProductStatsDeps {
  readonly products: ProductRepository;
  readonly storefronts: StorefrontRepository;
}

export interface GetProductStatsInput {
  readonly storefrontId: number;
}

/**
 * GetProductStats: aggregates over the storefront's live b2c rows. `totalValue` is Σ price × quantity in minor
 * units, exact (bigint); drivers send it with `bigMinorToWireNumber` (src/domain/money.ts).
 *
 * Decision: sales and stock value are the seller's business, so the caller must own the storefront or be an
 * admin/service (the original answered anybody). An unknown storefront gives zeros, as in the original.
 */
export class GetProductStats {
  readonly #deps: ProductStatsDeps;

  constructor(deps: ProductStatsDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: GetProductStatsInput): Promise<ProductStats> {
    assertAuthenticated(caller);
    const v = new Violations();
    const storefrontId = checkEntityId(v, 'storefront_id', 'storefront', input.storefrontId);
    v.throwIfAny();
    if (!isTrusted(caller)) {
      const storefront = await this.#deps.storefronts.findById(storefrontId!);
      if (storefront === null) return EMPTY_STATS;
      assertStorefrontOwner(caller, storefront);
    }
    return this.#deps.products.stats(storefrontId!);
  }
}

const EMPTY_STATS: ProductStats = {
  totalProducts: 0,
  activeProducts: 0,
  outOfStock: 0,
  lowStock: 0,
  totalValue: 0n,
  totalSold: 0,
};
