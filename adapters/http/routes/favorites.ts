import type { FastifyInstance } from 'fastify';
import {
  idParams,
  idSchema,
  limitQuery,
  offsetQuery,
  problems,
  strictObject,
  writeProblems,
} from '../schemas/common.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import { servedByMicroservice } from './call-options.ts';
import type { ApiRouteOptions } from './use-cases.ts';

const TAGS = ['favorites'];

const favoriteSchema = {
  type: 'object',
  title: 'FavoriteChange',
  required: ['listing_id', 'is_favorite', 'changed'],
  properties: {
    listing_id: idSchema,
    is_favorite: { type: 'boolean' },
    changed: {
      type: 'boolean',
      description: 'False when it already was (or was not) a favorite: both are idempotent.',
    },
  },
} as const;

const onBehalfQuery = strictObject({
  user_id: { ...idSchema, description: 'Whose favorite: the caller by default; admins and services may name a user.' },
});

/**
 * Favorites: mark and unmark a listing (idempotent, `favorites_count` kept in step), and a user's favorites, paged
 * (flaw #30). A user acts for themselves; admins and services may act for anyone with `user_id`.
 */
export async function favoriteRoutes(app: FastifyInstance, options: ApiRouteOptions<'favorites'>): Promise<void> {
  const favorites = options.useCases.favorites;
  installStrictInput(app);
  app.addHook('onSend', servedByMicroservice);

  for (const method of ['PUT', 'DELETE'] as const) {
    const adding = method === 'PUT';
    app.route<{ Params: { id: number }; Querystring: { user_id?: number } }>({
      method,
      url: '/listings/:id/favorite',
      config: { auth: 'required', timeout: 'update' },
      schema: {
        tags: TAGS,
        summary: adding ? 'Add to favorites' : 'Remove from favorites',
        description: adding
          ? 'Only a listing the caller can see can be added (404 otherwise).'
          : 'Always allowed, also for a listing that is gone.',
        params: idParams('id', 'The listing id.'),
        querystring: onBehalfQuery,
        response: {
          200: { ...favoriteSchema, description: 'The state now.' },
          ...writeProblems,
          ...(adding ? problems.notFound('The listing') : {}),
        },
      },
      handler: async (request) => {
        const input = { listingId: request.params.id, userId: request.query.user_id ?? null };
        if (adding) {
          const { added } = await favorites.change.add(request.principal, input);
          return { listing_id: input.listingId, is_favorite: true, changed: added };
        }
        const { removed } = await favorites.change.remove(request.principal, input);
        return { listing_id: input.listingId, is_favorite: false, changed: removed };
      },
    });
  }

  app.get<{ Params: { userId: number }; Querystring: { limit: number; offset: number } }>(
    '/users/:userId/favorites',
    {
      config: { auth: 'required', timeout: 'list' },
      schema: {
        tags: TAGS,
        summary: "A user's favorite listings",
        description: "Newest first. A user reads their own; admins and services anyone's.",
        params: idParams('userId', 'The user id.'),
        querystring: strictObject({ limit: limitQuery(20), offset: offsetQuery }),
        response: {
          200: {
            type: 'object',
            title: 'UserFavorites',
            description: 'One page of listing ids.',
            required: ['listing_ids', 'total', 'limit', 'offset'],
            properties: {
              listing_ids: { type: 'array', items: idSchema },
              total: { type: 'integer', description: "All of the user's favorites." },
              limit: { type: 'integer' },
              offset: { type: 'integer' },
            },
          },
          ...writeProblems,
        },
      },
    },
    async (request) => {
      const page = await favorites.queries.userFavorites(request.principal, {
        userId: request.params.userId,
        limit: request.query.limit,
        offset: request.query.offset,
      });
      return { listing_ids: page.listingIds, total: page.total, limit: page.limit, offset: page.offset };
    },
  );
}
