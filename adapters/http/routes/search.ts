import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../src/domain/errors.ts';
import { idSchema, limitQuery, offsetQuery, problems, strictObject } from '../schemas/common.ts';
import { listingPageSchema } from '../schemas/listing.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import { servedByMicroservice } from './call-options.ts';

const TAGS = ['search'];

/**
 * `GET /listings/search` and `/listings/suggest`, registered as static routes so `/listings/:id` never captures
 * them (the original answered 400 "invalid id parameter" for its own promised search route). The search use case
 * (`src/search/`) is not there yet: both answer 501 NOT_IMPLEMENTED after validating their query, so clients and
 * the OpenAPI document see the final contract of the original's parameters.
 */
export async function searchRoutes(app: FastifyInstance): Promise<void> {
  installStrictInput(app);
  app.addHook('onSend', servedByMicroservice);

  app.get(
    '/listings/search',
    {
      config: { timeout: 'search' },
      schema: {
        tags: TAGS,
        summary: 'Search listings (not implemented yet)',
        description:
          'Full-text search over active public listings: `query` (empty browses), category and price filters, ' +
          'offset paging. Answers 501 until the search use case is available.',
        querystring: strictObject({
          query: { type: 'string', maxLength: 500 },
          limit: limitQuery(20),
          offset: offsetQuery,
          category_id: idSchema,
          min_price: { type: 'number', minimum: 0 },
          max_price: { type: 'number', minimum: 0 },
        }),
        response: {
          200: { ...listingPageSchema, description: 'One page of matches, best first.' },
          ...problems.badRequest,
          ...problems.notImplemented('Search is not available yet.'),
        },
      },
    },
    async () => {
      throw new AppError('NOT_IMPLEMENTED', 'listing search is not implemented yet');
    },
  );

  app.get(
    '/listings/suggest',
    {
      config: { timeout: 'search' },
      schema: {
        tags: TAGS,
        summary: 'Suggest search terms (not implemented yet)',
        querystring: strictObject({ q: { type: 'string', maxLength: 100 }, limit: limitQuery(10, 20) }, ['q']),
        response: {
          200: {
            type: 'object',
            required: ['suggestions'],
            properties: { suggestions: { type: 'array', items: { type: 'string' } } },
          },
          ...problems.badRequest,
          ...problems.notImplemented('Suggestions are not available yet.'),
        },
      },
    },
    async () => {
      throw new AppError('NOT_IMPLEMENTED', 'search suggestions are not implemented yet');
    },
  );
}
