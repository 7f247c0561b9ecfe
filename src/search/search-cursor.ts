/**
 * Cursors of search pages, shared by the search-index adapters so both keep the port's cursor rules the same way:
 * a cursor is the keyset of the last hit (sort value, listing id) wrapped by the domain's checksummed cursor
 * (src/domain/pagination.ts), scoped to the engine, the sort and a fingerprint of the text and filters. A cursor
 * replayed against another query, edited or truncated is `VALIDATION_FAILED` on `cursor`.
 */
import type { SearchQuery } from '../../ports/search-index.ts';
import { type CursorScope, decodeCursor, encodeCursor, filterFingerprint, type Keyset } from '../domain/pagination.ts';

/** The scope of the cursors of `query` on `engine` (paging fields excluded: they move, the query does not). */
export function searchCursorScope(engine: string, query: SearchQuery): CursorScope {
  const { filters } = query;
  return {
    sort: `search:${engine}:${effectiveSort(query)}`,
    fingerprint: filterFingerprint({
      text: query.text,
      categoryIds: filters.categoryIds === undefined ? undefined : [...filters.categoryIds].sort((a, b) => a - b),
      status: filters.status,
      price: filters.price,
      currency: filters.currency,
      storefrontId: filters.storefrontId,
      userId: filters.userId,
      sourceType: filters.sourceType,
      attributes: filters.attributes,
      geo: filters.geo,
    }),
  };
}

/** `relevance` without text has no scores to rank by: it browses newest first (flaw #16). */
export function effectiveSort(query: Pick<SearchQuery, 'sort' | 'text'>): SearchQuery['sort'] {
  return query.sort === 'relevance' && query.text === '' ? 'created_at_desc' : query.sort;
}

export function encodeSearchCursor(scope: CursorScope, keyset: Keyset): string {
  return encodeCursor(scope, keyset);
}

/** The keyset of a cursor of this scope: `keyCount` values (sort value(s), then the id). */
export function decodeSearchCursor(cursor: string, scope: CursorScope, keyCount: number): Keyset {
  return decodeCursor(cursor, scope, keyCount);
}
