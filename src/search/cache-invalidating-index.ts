import type { Cache } from '../../ports/cache.ts';
import type { IndexItemResult, IndexRemoval, SearchDocument, SearchIndex } from '../../ports/search-index.ts';
import { SEARCH_CACHE_NAMESPACE } from '../listings/listing-cache.ts';

/**
 * The search index as the indexing worker writes it: after each write that changed something, cached search
 * answers are made unreachable (the `search` generation moves), so a listing the worker just indexed is found by
 * the next search instead of after the cached answer's 2 minutes.
 */
export function cacheInvalidatingIndex(index: SearchIndex, cache: Cache | undefined): SearchIndex {
  if (cache === undefined) return index;
  const bumpWhenChanged = async (results: readonly IndexItemResult[]) => {
    if (results.some((result) => result.status === 'ok')) await cache.bumpGeneration(SEARCH_CACHE_NAMESPACE);
    return results;
  };
  return {
    engine: index.engine,
    search: (query) => index.search(query),
    suggest: (request) => index.suggest(request),
    upsert: (documents: readonly SearchDocument[]) => index.upsert(documents).then(bumpWhenChanged),
    remove: (items: readonly IndexRemoval[]) => index.remove(items).then(bumpWhenChanged),
    ensureIndex: () => index.ensureIndex(),
    createVersionedIndex: () => index.createVersionedIndex(),
    bulkInto: (name, documents) => index.bulkInto(name, documents),
    swapAlias: (name, options) => index.swapAlias(name, options),
    dropIndex: (name) => index.dropIndex(name),
    count: (name) => index.count(name),
    refresh: (name) => index.refresh(name),
    close: () => index.close(),
  };
}
