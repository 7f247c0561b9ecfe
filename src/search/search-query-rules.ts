/**
 * The preconditions of the SearchIndex port's reads, checked the same way by every adapter (so the contract suite
 * sees one behaviour): a query that breaks one is `VALIDATION_FAILED`, never a partial answer. The use cases check
 * caller input with the original's messages first; this is the port's own guard.
 */
import { MAX_SEARCH_WINDOW, SEARCH_SORTS, type SearchQuery, type SuggestRequest } from '../../ports/search-index.ts';
import { Violations } from '../domain/validation.ts';

export const MAX_FACET_ATTRIBUTE_KEYS = 10;
export const DEFAULT_FACET_SIZE = 20;
export const MAX_FACET_SIZE = 100;
export const MAX_SUGGEST_LIMIT = 20;
/** Half the Earth's circumference: every point is within it. */
export const MAX_RADIUS_KM = 20_016;

export function checkSearchIndexQuery(query: SearchQuery): void {
  const v = new Violations();
  const offset = query.offset ?? 0;
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 100) {
    v.add('limit', 'out_of_range', 'limit must be between 1 and 100');
  }
  if (!Number.isInteger(offset) || offset < 0) v.add('offset', 'negative', 'offset cannot be negative');
  else if (offset + query.limit > MAX_SEARCH_WINDOW) {
    v.add(
      'offset',
      'out_of_range',
      `offset + limit must not exceed ${MAX_SEARCH_WINDOW}; page further with the cursor`,
    );
  }
  if (query.after != null && query.after !== '' && offset !== 0) {
    v.add('offset', 'conflict', 'offset must be 0 when a cursor is given');
  }
  if (!SEARCH_SORTS.includes(query.sort))
    v.add('sort', 'unknown_value', `sort must be one of: ${SEARCH_SORTS.join(', ')}`);
  const geo = query.filters.geo;
  if (geo !== undefined) {
    if (!(Number.isFinite(geo.lat) && Math.abs(geo.lat) <= 90)) {
      v.add('lat', 'out_of_range', 'lat must be between -90 and 90');
    }
    if (!(Number.isFinite(geo.lon) && Math.abs(geo.lon) <= 180)) {
      v.add('lon', 'out_of_range', 'lon must be between -180 and 180');
    }
    if (!(Number.isFinite(geo.radiusKm) && geo.radiusKm > 0 && geo.radiusKm <= MAX_RADIUS_KM)) {
      v.add('radius_km', 'out_of_range', `radius_km must be greater than 0 and at most ${MAX_RADIUS_KM}`);
    }
  } else if (query.sort === 'distance') {
    v.add('sort', 'conflict', 'sort by distance needs a location (lat, lon, radius_km)');
  }
  const facets = query.facets;
  if (facets !== undefined) {
    if ((facets.attributeKeys?.length ?? 0) > MAX_FACET_ATTRIBUTE_KEYS) {
      v.add('facets', 'too_many', `at most ${MAX_FACET_ATTRIBUTE_KEYS} attribute facets`);
    }
    const size = facets.size ?? DEFAULT_FACET_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_FACET_SIZE) {
      v.add('facet_size', 'out_of_range', `facet size must be between 1 and ${MAX_FACET_SIZE}`);
    }
  }
  v.throwIfAny();
}

/** The trimmed prefix of a valid suggest request. */
export function checkSuggestRequest(request: SuggestRequest): string {
  const v = new Violations();
  const prefix = request.prefix.trim();
  if ([...prefix].length < 2) v.add('prefix', 'too_short', 'prefix must be at least 2 characters');
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > MAX_SUGGEST_LIMIT) {
    v.add('limit', 'out_of_range', `limit must be between 1 and ${MAX_SUGGEST_LIMIT}`);
  }
  v.throwIfAny();
  return prefix;
}

/** Facet bucket order of the port: count descending, then value ascending (numbers numerically, text by bytes). */
export function compareBuckets<T extends number | string>(
  a: { readonly value: T; readonly count: number },
  b: { readonly value: T; readonly count: number },
): number {
  if (a.count !== b.count) return b.count - a.count;
  if (typeof a.value === 'number' && typeof b.value === 'number') return a.value - b.value;
  return compareBytes(String(a.value), String(b.value));
}

function compareBytes(a: string, b: string): number {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    if (left[i] !== right[i]) return (left[i] as number) - (right[i] as number);
  }
  return left.length - right.length;
}
