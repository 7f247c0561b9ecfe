import type { Category } from '../src/domain/category.ts';

/**
 * Categories (`c2c_categories`), read only: the five category RPCs and the category check of listing and product
 * writes.
 *
 * Guarantees an adapter must keep:
 * - Lists are ordered by `sort_order`, then name.
 * - `listingCount` = live (`is_deleted = false`) listings with `status = 'active'` in that category (not its
 *   descendants), the same in every method (the original counted deleted rows in some).
 * - `translations` is an empty object (no table holds them).
 * - Timestamps of these naive `TIMESTAMP` columns are read as UTC.
 */
export interface CategoryRepository {
  /** A category by id, active or not (GetCategory); null when missing. */
  findById(id: number): Promise<Category | null>;

  /** Active categories without a parent (GetRootCategories). */
  listRoots(): Promise<Category[]>;

  /** Every active category (GetAllCategories). */
  listAll(): Promise<Category[]>;

  /** Active categories by `listingCount` descending, then name; `limit` already clamped to 1..100. */
  listPopular(limit: number): Promise<Category[]>;

  /**
   * The category `rootId`, all its descendants at any depth (active or not), and its ancestors: everything
   * `buildCategoryTree` needs for GetCategoryTree, including full paths. Empty when `rootId` does not exist.
   */
  listSubtree(rootId: number): Promise<Category[]>;

  /** Which of `ids` are existing, active categories (the `category not found` check of writes). */
  findActiveIds(ids: readonly number[]): Promise<Set<number>>;
}
