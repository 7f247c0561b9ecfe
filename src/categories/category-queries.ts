import type { CategoryRepository } from '../../ports/category-repository.ts';
import { buildCategoryTree, type Category, type CategoryTreeNode, categoryNotFoundError } from '../domain/category.ts';
import { popularCategoriesLimit } from '../domain/pagination.ts';
import { requireId } from '../shared/require-id.ts';

export interface CategoryQueriesDeps {
  readonly categories: CategoryRepository;
}

/**
 * The five category reads (public: no caller needed). Ordered by `sort_order`, then name; `listing_count` counts
 * active, live listings the same way everywhere.
 */
export class CategoryQueries {
  readonly #categories: CategoryRepository;

  constructor(deps: CategoryQueriesDeps) {
    this.#categories = deps.categories;
  }

  /** GetRootCategories: active categories without a parent. */
  roots(): Promise<Category[]> {
    return this.#categories.listRoots();
  }

  /** GetAllCategories: every active category. */
  all(): Promise<Category[]> {
    return this.#categories.listAll();
  }

  /** GetPopularCategories: by listing count, descending; limit ≤ 0 → 10, > 100 → 100. */
  popular(input: { readonly limit?: number | null } = {}): Promise<Category[]> {
    return this.#categories.listPopular(popularCategoriesLimit(input.limit));
  }

  /** GetCategory: active or not; CATEGORY_NOT_FOUND `category not found: <id>`. */
  async byId(input: { readonly categoryId: number }): Promise<Category> {
    const id = requireId('category_id', 'category', input.categoryId);
    const category = await this.#categories.findById(id);
    if (category === null) throw categoryNotFoundError(id);
    return category;
  }

  /**
   * GetCategoryTree: the active subtree under the category, every level (flaw #29), with slug paths from the top.
   * Missing or inactive root → CATEGORY_NOT_FOUND `category tree not found: <id>`.
   */
  async tree(input: { readonly categoryId: number }): Promise<CategoryTreeNode> {
    const id = requireId('category_id', 'category', input.categoryId);
    return buildCategoryTree(await this.#categories.listSubtree(id), id);
  }
}
