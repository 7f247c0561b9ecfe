/**
 * SearchListings input → a SearchIndex query, every problem reported at once. The original fields (query,
 * category, price bounds, limit, offset) keep the original's texts (src/domain/listing-query.ts); the new ones
 * (sort, filters, location, facets, cursor) follow the same style. Public search always shows active listings
 * only: the status filter is not the caller's.
 */
import { MAX_SEARCH_WINDOW, SEARCH_SORTS, type SearchFilters, type SearchQuery } from '../../ports/search-index.ts';
import { checkCurrency } from '../domain/currency.ts';
import { AppError } from '../domain/errors.ts';
import { type SearchListingsInput, validateSearchListings } from '../domain/listing-query.ts';
import { SOURCE_TYPES } from '../domain/listing-status.ts';
import { checkLatitude, checkLongitude } from '../domain/location.ts';
import { checkEntityId, checkOneOf, Violations } from '../domain/validation.ts';
import { MAX_FACET_ATTRIBUTE_KEYS, MAX_RADIUS_KM } from './search-query-rules.ts';

export interface SearchListingsRequest extends SearchListingsInput {
  /** `relevance` (default; newest first without text), `price_asc`, `price_desc`, `created_at_desc`, `distance`. */
  readonly sort?: string | null;
  /** Any of these categories, besides `categoryId`. */
  readonly categoryIds?: readonly number[] | null;
  readonly currency?: string | null;
  readonly storefrontId?: number | null;
  readonly userId?: number | null;
  readonly sourceType?: string | null;
  /** Every pair must match exactly. */
  readonly attributes?: Readonly<Record<string, string>> | null;
  /** A location filter needs all three; `distance` sort needs it. */
  readonly lat?: number | null;
  readonly lon?: number | null;
  readonly radiusKm?: number | null;
  /** Count category, currency and source type values (and these attribute keys) over all matches. */
  readonly facets?: boolean | null;
  readonly facetAttributeKeys?: readonly string[] | null;
  /** `next_cursor` of the previous page (with `offset` 0): pages beyond 10 000 matches, stable under ties. */
  readonly cursor?: string | null;
}

const MAX_ATTRIBUTE_FILTERS = 20;

export function validateSearchRequest(request: SearchListingsRequest): SearchQuery {
  const v = new Violations();
  let base: ReturnType<typeof validateSearchListings> | undefined;
  try {
    base = validateSearchListings(request);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
    v.addAll(error.violations);
  }
  const filters: { -readonly [K in keyof SearchFilters]: SearchFilters[K] } = { status: 'active' };
  const categories = new Set<number>();
  if (base?.categoryId !== undefined) categories.add(base.categoryId);
  (request.categoryIds ?? []).forEach((id, i) => {
    const checked = checkEntityId(v, `category_ids[${i}]`, 'category', id);
    if (checked !== undefined) categories.add(checked);
  });
  if (categories.size > 0) filters.categoryIds = [...categories];
  if (base?.price !== undefined) filters.price = base.price;
  if (request.currency != null && request.currency !== '') {
    filters.currency = checkCurrency(v, 'currency', request.currency);
  }
  if (request.storefrontId != null) {
    filters.storefrontId = checkEntityId(v, 'storefront_id', 'storefront', request.storefrontId);
  }
  if (request.userId != null) filters.userId = checkEntityId(v, 'user_id', 'user', request.userId);
  if (request.sourceType != null && request.sourceType !== '') {
    filters.sourceType = checkOneOf(v, 'source_type', request.sourceType, SOURCE_TYPES);
  }
  const attributes = Object.entries(request.attributes ?? {});
  if (attributes.length > MAX_ATTRIBUTE_FILTERS) {
    v.add('attributes', 'too_many', `at most ${MAX_ATTRIBUTE_FILTERS} attribute filters`);
  } else if (attributes.length > 0) {
    if (attributes.some(([key, value]) => key.trim() === '' || typeof value !== 'string')) {
      v.add('attributes', 'invalid_format', 'attributes must map non-empty keys to text values');
    }
    filters.attributes = attributes.map(([key, value]) => ({ key, value: String(value) }));
  }
  const geo = checkGeo(v, request);
  if (geo !== undefined) filters.geo = geo;

  const sort =
    request.sort == null || request.sort === '' ? 'relevance' : checkOneOf(v, 'sort', request.sort, SEARCH_SORTS);
  if (sort === 'distance' && geo === undefined && !v.items.some((item) => item.field === 'lat')) {
    v.add('sort', 'conflict', 'sort by distance needs lat, lon and radius_km');
  }
  const cursor = request.cursor == null || request.cursor === '' ? null : request.cursor;
  const offset = base?.page.offset ?? 0;
  const limit = base?.page.limit ?? 0;
  if (cursor !== null && offset !== 0) v.add('offset', 'conflict', 'offset must be 0 when a cursor is given');
  if (base !== undefined && offset + limit > MAX_SEARCH_WINDOW) {
    v.add('offset', 'out_of_range', `offset + limit must not exceed ${MAX_SEARCH_WINDOW}; use next_cursor`);
  }
  const facetKeys = [...new Set(request.facetAttributeKeys ?? [])];
  if (facetKeys.length > MAX_FACET_ATTRIBUTE_KEYS) {
    v.add('facet_attribute_keys', 'too_many', `at most ${MAX_FACET_ATTRIBUTE_KEYS} attribute facets`);
  }
  v.throwIfAny();
  const wantsFacets = request.facets === true || facetKeys.length > 0;
  return {
    text: base?.text ?? '',
    filters,
    sort: sort ?? 'relevance',
    limit,
    offset,
    after: cursor,
    ...(wantsFacets ? { facets: { attributeKeys: facetKeys } } : {}),
  };
}

function checkGeo(v: Violations, request: SearchListingsRequest): SearchFilters['geo'] {
  const given = [request.lat, request.lon, request.radiusKm].filter((value) => value != null).length;
  if (given === 0) return undefined;
  if (given < 3) {
    v.add('lat', 'required', 'lat, lon and radius_km must be given together');
    return undefined;
  }
  const lat = checkLatitude(v, 'lat', request.lat);
  const lon = checkLongitude(v, 'lon', request.lon);
  const radiusKm = request.radiusKm as number;
  if (!(Number.isFinite(radiusKm) && radiusKm > 0 && radiusKm <= MAX_RADIUS_KM)) {
    v.add('radius_km', 'out_of_range', `radius_km must be greater than 0 and at most ${MAX_RADIUS_KM}`);
    return undefined;
  }
  if (lat == null || lon == null) return undefined;
  return { lat, lon, radiusKm };
}
