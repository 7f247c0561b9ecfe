import type { Principal } from '../../ports/principal.ts';
import type { StorefrontRepository } from '../../ports/storefront-repository.ts';
import { isTrusted } from '../domain/access.ts';
import {
  type Storefront,
  type StorefrontListInput,
  storefrontNotFound,
  validateSlug,
  validateStorefrontList,
} from '../domain/storefront.ts';
import { requireId } from '../shared/require-id.ts';

export interface StorefrontQueriesDeps {
  readonly storefronts: StorefrontRepository;
}

export interface StorefrontListResult {
  readonly storefronts: readonly Storefront[];
  readonly total: number;
}

/**
 * GetStorefront, GetStorefrontBySlug and ListStorefronts (UNIMPLEMENTED in the original). Inactive storefronts are
 * shown to their owner and to admins and services only; to anyone else they read as missing and are left out of
 * lists (the filter is forced to `is_active = true`, so `total` stays exact).
 */
export class StorefrontQueries {
  readonly #storefronts: StorefrontRepository;

  constructor(deps: StorefrontQueriesDeps) {
    this.#storefronts = deps.storefronts;
  }

  /** STOREFRONT_NOT_FOUND `storefront not found: <id>`. */
  async byId(caller: Principal | undefined, input: { readonly id: number }): Promise<Storefront> {
    const id = requireId('id', 'storefront', input.id);
    const storefront = await this.#storefronts.findById(id);
    if (storefront === null || !mayView(caller, storefront)) throw storefrontNotFound(id);
    return storefront;
  }

  /** Exact slug; `slug is required`; STOREFRONT_NOT_FOUND `storefront not found: <slug>`. */
  async bySlug(caller: Principal | undefined, input: { readonly slug: string }): Promise<Storefront> {
    const slug = validateSlug(input.slug);
    const storefront = await this.#storefronts.findBySlug(slug);
    if (storefront === null || !mayView(caller, storefront)) throw storefrontNotFound(slug);
    return storefront;
  }

  /** Filters, sort (default `created_at desc`, ties by id) and page (limit ≤ 0 → 20, > 100 → 100). */
  async list(caller: Principal | undefined, input: StorefrontListInput): Promise<StorefrontListResult> {
    const query = validateStorefrontList(input);
    const own = caller?.userId !== undefined && query.filter.userId === caller.userId;
    const filter = isTrusted(caller) || own ? query.filter : { ...query.filter, isActive: true };
    if (query.filter.isActive === false && filter.isActive === true) return { storefronts: [], total: 0 };
    const page = await this.#storefronts.list({ ...query, filter });
    return { storefronts: page.items, total: page.total };
  }
}

function mayView(caller: Principal | undefined, storefront: Storefront): boolean {
  return (
    storefront.isActive || isTrusted(caller) || (caller?.userId !== undefined && caller.userId === storefront.userId)
  );
}
