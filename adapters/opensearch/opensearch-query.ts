/**
 * A SearchQuery as an OpenSearch `_search` body, and the facets of its answer.
 *
 * - Text: every word must match (`operator: and`) in one reading — Russian, Serbian or as written — across title
 *   (×3), description and keywords (×0.5) (`cross_fields` per analyzer), or the title must match every word within
 *   `AUTO` edits (typo tolerance; first character exact). Scores are BM25.
 * - Filters go in `bool.filter` (no scoring, cached). Price bounds are widened by half a minor unit because
 *   `scaled_float` rounds range bounds inward (`ceil(min × 100)`, `floor(max × 100)`), which in binary floating
 *   point would drop e.g. 10.01 from `lte: 10.01`.
 * - Sorts end with the `id` tiebreaker; pages use `search_after` with the last hit's sort values (no
 *   `max_result_window` limit, flaw #14) and `track_total_hits: true`.
 */
import type { FacetBucket, SearchFacets, SearchQuery, SearchSort } from '../../ports/search-index.ts';
import type { Keyset } from '../../src/domain/pagination.ts';
import { effectiveSort } from '../../src/search/search-cursor.ts';
import { DEFAULT_FACET_SIZE } from '../../src/search/search-query-rules.ts';

type Json = Record<string, unknown>;

const BUCKET_ORDER = [{ _count: 'desc' }, { _key: 'asc' }];

function textClause(text: string): Json {
  const reading = (suffix: string) => ({
    multi_match: {
      query: text,
      type: 'cross_fields',
      operator: 'and',
      fields: [`title${suffix}^3`, `description${suffix}`, `keywords${suffix}^0.5`],
    },
  });
  return {
    bool: {
      should: [
        reading('.ru'),
        reading('.sr'),
        reading(''),
        { match: { title: { query: text, operator: 'and', fuzziness: 'AUTO', prefix_length: 1, boost: 0.5 } } },
      ],
      minimum_should_match: 1,
    },
  };
}

function filterClauses(query: SearchQuery): Json[] {
  const f = query.filters;
  const filters: Json[] = [];
  if (f.categoryIds !== undefined && f.categoryIds.length > 0) filters.push({ terms: { category_id: f.categoryIds } });
  if (f.status !== undefined) filters.push({ term: { status: f.status } });
  if (f.price !== undefined && (f.price.min !== null || f.price.max !== null)) {
    const range: Json = {};
    if (f.price.min !== null) range.gte = (f.price.min - 0.5) / 100;
    if (f.price.max !== null) range.lte = (f.price.max + 0.5) / 100;
    filters.push({ range: { price: range } });
  }
  if (f.currency !== undefined) filters.push({ term: { currency: f.currency } });
  if (f.storefrontId !== undefined) filters.push({ term: { storefront_id: f.storefrontId } });
  if (f.userId !== undefined) filters.push({ term: { user_id: f.userId } });
  if (f.sourceType !== undefined) filters.push({ term: { source_type: f.sourceType } });
  for (const { key, value } of f.attributes ?? []) {
    filters.push({
      nested: {
        path: 'attributes',
        query: { bool: { filter: [{ term: { 'attributes.key': key } }, { term: { 'attributes.value': value } }] } },
      },
    });
  }
  if (f.geo !== undefined) {
    filters.push({ geo_distance: { distance: `${f.geo.radiusKm}km`, location: { lat: f.geo.lat, lon: f.geo.lon } } });
  }
  return filters;
}

function sortClauses(query: SearchQuery, sort: SearchSort): Json[] {
  switch (sort) {
    case 'relevance':
      return [{ _score: 'desc' }, { id: 'desc' }];
    case 'created_at_desc':
      return [{ created_at: 'desc' }, { id: 'desc' }];
    case 'price_asc':
      return [{ price: 'asc' }, { id: 'asc' }];
    case 'price_desc':
      return [{ price: 'desc' }, { id: 'desc' }];
    case 'distance': {
      const geo = query.filters.geo ?? { lat: 0, lon: 0 };
      const point = { lat: geo.lat, lon: geo.lon };
      return [{ _geo_distance: { location: point, order: 'asc', unit: 'm', distance_type: 'arc' } }, { id: 'asc' }];
    }
  }
}

function aggregations(query: SearchQuery): Json | undefined {
  if (query.facets === undefined) return undefined;
  const size = query.facets.size ?? DEFAULT_FACET_SIZE;
  const terms = (field: string) => ({ terms: { field, size, order: BUCKET_ORDER } });
  const keys = [...new Set(query.facets.attributeKeys ?? [])];
  const aggs: Json = { category: terms('category_id'), currency: terms('currency'), source_type: terms('source_type') };
  if (keys.length > 0) {
    aggs.attributes = {
      nested: { path: 'attributes' },
      aggs: {
        chosen: {
          filter: { terms: { 'attributes.key': keys } },
          aggs: {
            key: { terms: { field: 'attributes.key', size: keys.length }, aggs: { value: terms('attributes.value') } },
          },
        },
      },
    };
  }
  return aggs;
}

/** The `_search` body; one hit more than `limit` is asked for, to tell whether another page follows. */
export function searchBody(query: SearchQuery, after: Keyset | null): Json {
  const sort = effectiveSort(query);
  const filter = filterClauses(query);
  const must = query.text === '' ? [] : [textClause(query.text)];
  const aggs = aggregations(query);
  return {
    query: { bool: { must: must.length === 0 ? [{ match_all: {} }] : must, filter } },
    sort: sortClauses(query, sort),
    size: query.limit + 1,
    from: query.offset ?? 0,
    track_total_hits: true,
    version: true,
    _source: false,
    ...(after === null ? {} : { search_after: after }),
    ...(aggs === undefined ? {} : { aggs }),
  };
}

interface Buckets {
  readonly buckets: readonly { readonly key: string | number; readonly doc_count: number }[];
}

/** Facets from the `aggregations` of an answer to {@link searchBody}. */
export function facetsOf(query: SearchQuery, aggregations: Record<string, unknown> | undefined): SearchFacets | null {
  if (query.facets === undefined || aggregations === undefined) return null;
  const list = <T>(agg: unknown, value: (key: string | number) => T): FacetBucket<T>[] =>
    ((agg as Buckets | undefined)?.buckets ?? []).map((bucket) => ({
      value: value(bucket.key),
      count: bucket.doc_count,
    }));
  const attributes: Record<string, FacetBucket<string>[]> = {};
  const keys = [...new Set(query.facets.attributeKeys ?? [])];
  const nested = aggregations.attributes as { chosen?: { key?: Buckets } } | undefined;
  for (const key of keys) {
    const bucket = nested?.chosen?.key?.buckets.find((candidate) => candidate.key === key) as
      | { value?: Buckets }
      | undefined;
    attributes[key] = list(bucket?.value, String);
  }
  return {
    category: list(aggregations.category, Number),
    currency: list(aggregations.currency, String),
    sourceType: list(aggregations.source_type, String),
    attributes,
  };
}

/** The body of a suggest request: the title's edge n-grams must hold every word of the prefix. */
export function suggestBody(prefix: string, size: number): Json {
  return {
    query: { match: { 'title.autocomplete': { query: prefix, operator: 'and' } } },
    sort: [{ _score: 'desc' }, { id: 'desc' }],
    size,
    _source: ['title'],
  };
}
