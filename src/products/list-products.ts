import type { Principal } from '../../ports/principal.ts';
import { checkPageNumber } from '../domain/pagination.ts';
import type { Product } from '../domain/product.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';
import type { ProductReadDeps } from './get-product.ts';

export interface ListProductsInput {
  readonly storefrontId: number;
  /** ≥ 1. */
  readonly page: number;
  /** 1..100 (`page size must be between 1 and 100`). */
  readonly pageSize: number;
  /** Default false: every live product, drafts and inactive ones included (the original's behaviour). */
  readonly isActiveOnly?: boolean;
}

export interface ListProductsResult {
  readonly products: readonly Product[];
  /** Every match, not only this page. */
  readonly totalCount: number;
}

/** ListProducts: a storefront's live products, newest first (`created_at DESC, id DESC`), page-based. Public. */
export class ListProducts {
  readonly #deps: ProductReadDeps;

  constructor(deps: ProductReadDeps) {
    this.#deps = deps;
  }

  async execute(_caller: Principal | undefined, input: ListProductsInput): Promise<ListProductsResult> {
    const v = new Violations();
    const storefrontId = checkEntityId(v, 'storefront_id', 'storefront', input.storefrontId);
    const page = checkPageNumber(v, input.page, input.pageSize);
    v.throwIfAny();
    const { items, total } = await this.#deps.products.listByStorefront(storefrontId!, page, {
      activeOnly: input.isActiveOnly === true,
    });
    return { products: items, totalCount: total };
  }
}
