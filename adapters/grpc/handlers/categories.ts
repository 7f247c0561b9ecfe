import type { Handlers } from '../context.ts';
import { toCategoryMessage, toCategoryTreeNodeMessage } from '../mappers/catalogue-messages.ts';
import type { GrpcUseCases } from './use-cases.ts';

/** The five category reads; public (no principal needed). The tree keeps every level (flaw #29). */
export function categoryHandlers({ categories }: Pick<GrpcUseCases, 'categories'>): Partial<Handlers> {
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
