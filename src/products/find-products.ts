import type { Principal } from '../../ports/principal.ts';
import type { Product } from '../domain/product.ts';
import { checkLookupIds, checkSkuList } from '../domain/product-bulk.ts';
import { Violations } from '../domain/validation.ts';
import { optionalStorefrontId, type ProductReadDeps } from './get-product.ts';

export interface GetProductsBySkusInput {
  /** 1..100; blanks and repeats are dropped. */
  readonly skus: readonly string[];
  readonly storefrontId?: number | null;
}

export interface GetProductsByIdsInput {
  /** 1..100, each > 0; repeats are dropped. */
  readonly productIds: readonly number[];
  readonly storefrontId?: number | null;
}

export interface ProductsResult {
  readonly products: readonly Product[];
  /** The number returned (ProductsResponse.total_count for these RPCs). */
  readonly totalCount: number;
}

/**
 * GetProductsBySKUs and GetProductsByIDs: active live products with these keys, id ascending; unknown keys are
 * silently omitted (the original's contract). Public reads.
 */
export class FindProducts {
  readonly #deps: ProductReadDeps;

  constructor(deps: ProductReadDeps) {
    this.#deps = deps;
  }

  async bySkus(_caller: Principal | undefined, input: GetProductsBySkusInput): Promise<ProductsResult> {
    const skus = checkSkuList(input.skus);
    const storefrontId = storefrontFilter(input.storefrontId);
    const products = await this.#deps.products.findBySkus(skus, storefrontId === undefined ? {} : { storefrontId });
    return { products, totalCount: products.length };
  }

  async byIds(_caller: Principal | undefined, input: GetProductsByIdsInput): Promise<ProductsResult> {
    const ids = checkLookupIds(input.productIds);
    const storefrontId = storefrontFilter(input.storefrontId);
    const products = await this.#deps.products.findByIds(ids, storefrontId === undefined ? {} : { storefrontId });
    return { products, totalCount: products.length };
  }
}

function storefrontFilter(value: number | null | undefined): number | undefined {
  const v = new Violations();
  const id = optionalStorefrontId(v, value);
  v.throwIfAny();
  return id;
}
