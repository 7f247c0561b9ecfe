import type { FastifyInstance } from 'fastify';
import { storefrontJson } from '../json/storefront.ts';
import { idParams, problems, strictObject } from '../schemas/common.ts';
import { listStorefrontsQuery, storefrontPageSchema, storefrontSchema } from '../schemas/storefront.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import type { ApiRouteOptions } from './use-cases.ts';

const TAGS = ['storefronts'];

interface ListQuery {
  user_id?: number;
  is_active?: boolean;
  is_verified?: boolean;
  city?: string;
  limit: number;
  offset: number;
  sort_by: string;
  sort_order: string;
}

const storefrontResponses = {
  200: { ...storefrontSchema, description: 'The storefront.' },
  ...problems.badRequest,
  ...problems.notFound('The storefront'),
};

/**
 * Storefront reads (UNIMPLEMENTED in the original). Inactive storefronts are visible to their owner, admins and
 * services only; to anyone else they are missing (404) and left out of lists.
 */
export async function storefrontRoutes(app: FastifyInstance, options: ApiRouteOptions<'storefronts'>): Promise<void> {
  const storefronts = options.useCases.storefronts;
  installStrictInput(app);

  app.get<{ Querystring: ListQuery }>(
    '/storefronts',
    {
      config: { timeout: 'list' },
      schema: {
        tags: TAGS,
        summary: 'List storefronts',
        description: 'Filters, sort (default `created_at desc`, ties by id) and an offset page.',
        querystring: listStorefrontsQuery,
        response: { 200: { ...storefrontPageSchema, description: 'One page.' }, ...problems.badRequest },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await storefronts.list(request.principal, {
        limit: q.limit,
        offset: q.offset,
        sortBy: q.sort_by,
        sortOrder: q.sort_order,
        ...(q.user_id === undefined ? {} : { userId: q.user_id }),
        ...(q.is_active === undefined ? {} : { isActive: q.is_active }),
        ...(q.is_verified === undefined ? {} : { isVerified: q.is_verified }),
        ...(q.city === undefined ? {} : { city: q.city }),
      });
      return { storefronts: page.storefronts.map(storefrontJson), total: page.total };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/storefronts/:id',
    {
      config: { timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: 'Get a storefront',
        params: idParams('id', 'The storefront id.'),
        response: storefrontResponses,
      },
    },
    async (request) => storefrontJson(await storefronts.byId(request.principal, { id: request.params.id })),
  );

  app.get<{ Params: { slug: string } }>(
    '/storefronts/by-slug/:slug',
    {
      config: { timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: 'Get a storefront by its slug',
        params: strictObject({ slug: { type: 'string', minLength: 1, maxLength: 100 } }, ['slug']),
        response: storefrontResponses,
      },
    },
    async (request) => storefrontJson(await storefronts.bySlug(request.principal, { slug: request.params.slug })),
  );
}
