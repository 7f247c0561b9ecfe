/** JSON Schemas of `GET /listings/search` and `/listings/suggest`. */
import { SEARCH_SORTS } from '../../../ports/search-index.ts';
import { SOURCE_TYPES } from '../../../src/domain/listing-status.ts';
import { idSchema, limitQuery, offsetQuery, strictObject } from './common.ts';
import { listingSchema } from './listing.ts';

export const searchQuery = strictObject({
  query: { type: 'string', maxLength: 500, description: 'Words to match (≥ 2 characters); empty browses.' },
  limit: limitQuery(20),
  offset: { ...offsetQuery, description: 'Matches to skip (offset + limit ≤ 10 000; deeper pages use `cursor`).' },
  cursor: { type: 'string', maxLength: 2000, description: '`next_cursor` of the previous page (with offset 0).' },
  sort: {
    type: 'string',
    enum: SEARCH_SORTS,
    default: 'relevance',
    description: '`relevance` ranks by text match (newest first without `query`); `distance` needs a location.',
  },
  category_id: idSchema,
  category_ids: { type: 'array', items: idSchema, maxItems: 50, description: 'Any of these categories.' },
  min_price: { type: 'number', minimum: 0 },
  max_price: { type: 'number', minimum: 0 },
  currency: { type: 'string', description: 'ISO 4217.' },
  storefront_id: idSchema,
  user_id: idSchema,
  source_type: { type: 'string', enum: SOURCE_TYPES },
  attribute: {
    type: 'array',
    items: { type: 'string', maxLength: 300 },
    maxItems: 20,
    description: 'Exact attribute matches as `key:value` (repeat for several; all must match).',
  },
  lat: { type: 'number', minimum: -90, maximum: 90 },
  lon: { type: 'number', minimum: -180, maximum: 180 },
  radius_km: { type: 'number', description: 'With lat and lon: only listings within this distance.' },
  facets: { type: 'boolean', default: false, description: 'Count category, currency and source type values.' },
  facet_attribute_keys: {
    type: 'array',
    items: { type: 'string', maxLength: 100 },
    maxItems: 10,
    description: 'Also count the values of these attribute keys (implies `facets`).',
  },
});

const buckets = (value: { readonly type: string }) =>
  ({
    type: 'array',
    items: { type: 'object', required: ['value', 'count'], properties: { value, count: { type: 'integer' } } },
  }) as const;

export const searchPageSchema = {
  type: 'object',
  title: 'SearchPage',
  description: 'One page of matches, best first; no `{"data": ...}` envelope. `listings` is `[]`, never null.',
  required: ['listings', 'total'],
  properties: {
    listings: { type: 'array', items: listingSchema },
    total: { type: 'integer', description: 'Every match in the index.' },
    next_cursor: { type: 'string', description: 'Absent on the last page.' },
    facets: {
      type: 'object',
      description: 'Only when asked for: value counts over all matches, by count descending.',
      properties: {
        category: buckets({ type: 'integer' }),
        currency: buckets({ type: 'string' }),
        source_type: buckets({ type: 'string' }),
        attributes: { type: 'object', additionalProperties: buckets({ type: 'string' }) },
      },
    },
  },
} as const;

/** Names the engine that answered a search (`opensearch` or `postgres`). */
export const SEARCH_ENGINE_HEADER = 'x-search-engine';

/** The 200 response of a search: the page, and the `X-Search-Engine` header (documented in OpenAPI). */
export const searchPageResponse = {
  ...searchPageSchema,
  headers: {
    'X-Search-Engine': {
      type: 'string',
      enum: ['opensearch', 'postgres'],
      description:
        'The engine that answered. `postgres` while the service is configured with OpenSearch means OpenSearch ' +
        'is unreachable and its fallback, PostgreSQL full-text search (`SEARCH_FALLBACK=postgres`), answered: ' +
        'results are as fresh as the index was when OpenSearch went down, and `next_cursor` belongs to that ' +
        'engine (a cursor of one engine given to the other is refused, so a walk across a switch restarts).',
    },
  },
} as const;

export const suggestQuery = strictObject(
  {
    q: { type: 'string', maxLength: 100, description: 'The typed prefix, at least 2 characters.' },
    limit: limitQuery(10, 20),
  },
  ['q'],
);

export const suggestionsSchema = {
  type: 'object',
  title: 'Suggestions',
  required: ['suggestions'],
  properties: {
    suggestions: {
      type: 'array',
      items: { type: 'object', required: ['id', 'title'], properties: { id: idSchema, title: { type: 'string' } } },
    },
  },
} as const;
