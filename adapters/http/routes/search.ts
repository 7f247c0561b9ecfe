import type { FastifyInstance } from 'fastify';
import type { SearchFacets } from '../../../ports/search-index.ts';
import { AppError } from '../../../src/domain/errors.ts';
import type { SearchListingsRequest } from '../../../src/search/search-request.ts';
import { listingJson } from '../json/listing.ts';
import { problems } from '../schemas/common.ts';
import {
  SEARCH_ENGINE_HEADER,
  searchPageResponse,
  searchQuery,
  suggestionsSchema,
  suggestQuery,
} from '../schemas/search.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import { servedByMicroservice } from './call-options.ts';
import type { ApiRouteOptions } from './use-cases.ts';

const TAGS = ['search'];

interface SearchQueryString {
  query?: string;
  limit: number;
  offset: number;
  cursor?: string;
  sort: string;
  category_id?: number;
  category_ids?: number[];
  min_price?: number;
  max_price?: number;
  currency?: string;
  storefront_id?: number;
  user_id?: number;
  source_type?: string;
  attribute?: string[];
  lat?: number;
  lon?: number;
  radius_km?: number;
  facets: boolean;
  facet_attribute_keys?: string[];
}

/**
 * `GET /listings/search` and `/listings/suggest`: static routes, so `/listings/:id` never captures them (the
 * original answered 400 "invalid id parameter" for its own promised search route). Public: search shows active
 * public listings to everyone. Without the search use cases (no search index configured) both answer 501.
 */
export async function searchRoutes(app: FastifyInstance, options: ApiRouteOptions<'search'>): Promise<void> {
  const search = options.useCases.search;
  installStrictInput(app);
  app.addHook('onSend', servedByMicroservice);

  app.get<{ Querystring: SearchQueryString }>(
    '/listings/search',
    {
      config: { timeout: 'search' },
      schema: {
        tags: TAGS,
        summary: 'Search listings',
        description:
          'Full text (Russian and Serbian, Cyrillic or Latin) over active public listings, ranked; an empty ' +
          '`query` browses. Filters are AND-ed; pages by `offset` or by `next_cursor`. `X-Search-Engine` names ' +
          'the engine that answered: `postgres` while OpenSearch is configured means its fallback answered.',
        querystring: searchQuery,
        response: {
          200: searchPageResponse,
          ...problems.badRequest,
          ...problems.notImplemented('No search index is configured.'),
        },
      },
    },
    async (request, reply) => {
      if (search === undefined) throw new AppError('NOT_IMPLEMENTED', 'listing search is not configured');
      const result = await search.listings.execute(searchRequest(request.query));
      // A header, not a body field: the body stays the original's shape for every existing client.
      reply.header(SEARCH_ENGINE_HEADER, result.servedBy);
      return {
        listings: result.listings.map(listingJson),
        total: result.total,
        ...(result.nextCursor === null ? {} : { next_cursor: result.nextCursor }),
        ...(result.facets === null ? {} : { facets: facetsJson(result.facets) }),
      };
    },
  );

  app.get<{ Querystring: { q: string; limit: number } }>(
    '/listings/suggest',
    {
      config: { timeout: 'search' },
      schema: {
        tags: TAGS,
        summary: 'Suggest listing titles',
        description: 'Titles of searchable listings with words starting with the typed ones, best first, each once.',
        querystring: suggestQuery,
        response: {
          200: suggestionsSchema,
          ...problems.badRequest,
          ...problems.notImplemented('No search index is configured.'),
        },
      },
    },
    async (request) => {
      if (search === undefined) throw new AppError('NOT_IMPLEMENTED', 'search suggestions are not configured');
      const suggestions = await search.suggest.execute({ prefix: request.query.q, limit: request.query.limit });
      return { suggestions: suggestions.map(({ id, title }) => ({ id, title })) };
    },
  );
}

function searchRequest(q: SearchQueryString): SearchListingsRequest {
  return {
    query: q.query ?? null,
    limit: q.limit,
    offset: q.offset,
    cursor: q.cursor ?? null,
    sort: q.sort,
    categoryId: q.category_id ?? null,
    categoryIds: q.category_ids ?? null,
    minPrice: q.min_price ?? null,
    maxPrice: q.max_price ?? null,
    currency: q.currency ?? null,
    storefrontId: q.storefront_id ?? null,
    userId: q.user_id ?? null,
    sourceType: q.source_type ?? null,
    attributes: q.attribute === undefined ? null : attributePairs(q.attribute),
    lat: q.lat ?? null,
    lon: q.lon ?? null,
    radiusKm: q.radius_km ?? null,
    facets: q.facets,
    facetAttributeKeys: q.facet_attribute_keys ?? null,
  };
}

/** `key:value` query values → the attribute filter; a value without `:` is a violation. */
function attributePairs(values: readonly string[]): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const [index, value] of values.entries()) {
    const colon = value.indexOf(':');
    if (colon <= 0) {
      const message = 'attribute filters are written key:value';
      throw new AppError('VALIDATION_FAILED', message, {
        violations: [{ field: `attribute.${index}`, reason: 'invalid_format', message }],
      });
    }
    pairs[value.slice(0, colon)] = value.slice(colon + 1);
  }
  return pairs;
}

function facetsJson(facets: SearchFacets) {
  return {
    category: facets.category,
    currency: facets.currency,
    source_type: facets.sourceType,
    attributes: facets.attributes,
  };
}
