import type { Storefront, StorefrontListQuery } from '../src/domain/storefront.ts';

/**
 * Storefronts (`storefronts`), read only: GetStorefront, GetStorefrontBySlug, ListStorefronts, and the owner lookup
 * of product writes (a product's `user_id` is its storefront's owner).
 *
 * Guarantees an adapter must keep:
 * - Reads return inactive storefronts too; callers decide what an inactive one may do.
 * - `rating` is read exactly from NUMERIC(3,2) (0.00..5.00) as a number; naive `TIMESTAMP`s are read as UTC.
 */
export interface StorefrontRepository {
  findById(id: number): Promise<Storefront | null>;

  /** Exact, case-sensitive slug match. */
  findBySlug(slug: string): Promise<Storefront | null>;

  /**
   * Storefronts matching every set filter, ordered by `query.sortBy` in `query.sortOrder`, ties by id in the same
   * direction; `total` counts every match.
   */
  list(query: StorefrontListQuery): Promise<{ readonly items: readonly Storefront[]; readonly total: number }>;
}
