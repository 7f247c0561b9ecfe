import type { FastifyInstance } from 'fastify';
import { categoryJson, categoryTreeJson } from '../json/category.ts';
import { categoryListSchema, categorySchema, categoryTreeSchema } from '../schemas/category.ts';
import { idParams, problems, strictObject } from '../schemas/common.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import type { ApiRouteOptions } from './use-cases.ts';

const TAGS = ['categories'];
const listResponse = (description: string) => ({
  200: { ...categoryListSchema, description },
});

/** The category reads: public, ordered by `sort_order` then name (original-service.md §3.3). */
export async function categoryRoutes(app: FastifyInstance, options: ApiRouteOptions<'categories'>): Promise<void> {
  const categories = options.useCases.categories;
  installStrictInput(app);

  app.get(
    '/categories',
    {
      config: { timeout: 'list' },
      schema: { tags: TAGS, summary: 'All active categories', response: listResponse('Every active category.') },
    },
    async () => ({ categories: (await categories.all()).map(categoryJson) }),
  );

  app.get(
    '/categories/root',
    {
      config: { timeout: 'list' },
      schema: { tags: TAGS, summary: 'Root categories', response: listResponse('Active categories without a parent.') },
    },
    async () => ({ categories: (await categories.roots()).map(categoryJson) }),
  );

  app.get<{ Querystring: { limit?: number } }>(
    '/categories/popular',
    {
      config: { timeout: 'list' },
      schema: {
        tags: TAGS,
        summary: 'Popular categories',
        description: 'By active listing count, descending. `limit` ≤ 0 means 10; above 100 means 100 (the original).',
        querystring: strictObject({ limit: { type: 'integer', default: 10 } }),
        response: { ...listResponse('The most used categories.'), ...problems.badRequest },
      },
    },
    async (request) => ({
      categories: (await categories.popular({ limit: request.query.limit ?? null })).map(categoryJson),
    }),
  );

  app.get<{ Params: { id: number } }>(
    '/categories/:id',
    {
      config: { timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: 'Get a category',
        description: 'Active or not.',
        params: idParams('id', 'The category id.'),
        response: {
          200: { ...categorySchema, description: 'The category.' },
          ...problems.badRequest,
          ...problems.notFound('The category'),
        },
      },
    },
    async (request) => categoryJson(await categories.byId({ categoryId: request.params.id })),
  );

  app.get<{ Params: { id: number } }>(
    '/categories/:id/tree',
    {
      config: { timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: 'Category tree',
        description: 'The active subtree under the category, every level. A missing or inactive root is 404.',
        params: idParams('id', 'The root category id.'),
        response: {
          200: { ...categoryTreeSchema, description: 'The tree.' },
          ...problems.badRequest,
          ...problems.notFound('The category'),
        },
      },
    },
    async (request) => categoryTreeJson(await categories.tree({ categoryId: request.params.id })),
  );
}
