import type { CategoryQueries } from '../../../src/categories/category-queries.ts';
import type { Handlers } from '../context.ts';
import { toCategoryMessage, toCategoryTreeNodeMessage } from '../mappers/catalogue-messages.ts';

export interface CategoryHandlerDeps {
  readonly categoryQueries: Pick<CategoryQueries, 'roots' | 'all' | 'popular' | 'byId' | 'tree'>;
}

/** The five category reads; public (no principal needed). The tree keeps every level (flaw #29). */
export function categoryHandlers(deps: CategoryHandlerDeps): Partial<Handlers> {
  const { categoryQueries: categories } = deps;
  return {
    GetRootCategories: async () => ({ categories: (await categories.roots()).map(toCategoryMessage) }),
    GetAllCategories: async () => ({ categories: (await categories.all()).map(toCategoryMessage) }),
    GetPopularCategories: async (request) => ({
      categories: (await categories.popular({ limit: request.limit })).map(toCategoryMessage),
    }),
    GetCategory: async (request) => ({
      category: toCategoryMessage(await categories.byId({ categoryId: request.categoryId })),
    }),
    GetCategoryTree: async (request) => ({
      tree: toCategoryTreeNodeMessage(await categories.tree({ categoryId: request.categoryId })),
    }),
  };
}
