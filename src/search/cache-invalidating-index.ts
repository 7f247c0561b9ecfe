import type { Cache } from '../../ports/cache.ts';
import type { IndexItemResult, IndexRemoval, SearchDocument, SearchIndex } from '../../ports/search-index.ts';
import { SEARCH_CACHE_NAMESPACE } from '../listings/listing-cache.ts';

/** Slack added to the engine's visibility delay: a refresh that starts on time can still take a moment. */
const VISIBILITY_MARGIN_MS = 250;

/**
 * The search index as the indexing worker writes it: after each write that changed something, cached search
 * answers are made unreachable (the `search` generation moves), so a listing the worker just indexed is found by
 * the next search instead of after the cached answer's 2 minutes.
 *
 * An engine that shows writes only after a refresh (OpenSearch, `visibilityDelayMs`) would let a search asked
 * between the write and the refresh cache the old answer under the new generation, for the answer's whole TTL.
 * So the generation moves a second time once the refresh must have happened; writes in a row share that one
 * delayed move, armed for the last of them.
 */
export function cacheInvalidatingIndex(index: SearchIndex, cache: Cache | undefined): SearchIndex {
  if (cache === undefined) return index;
  const delayMs = index.visibilityDelayMs ?? 0;
  const afterRefresh = delayedBump(cache, delayMs + VISIBILITY_MARGIN_MS);
  const bumpWhenChanged = async (results: readonly IndexItemResult[]) => {
    if (results.some((result) => result.status === 'ok')) {
      await cache.bumpGeneration(SEARCH_CACHE_NAMESPACE);
      if (delayMs > 0) afterRefresh.arm();
    }
    return results;
  };
  return {
    engine: index.engine,
    visibilityDelayMs: index.visibilityDelayMs,
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
    async close() {
      afterRefresh.cancel();
      await index.close();
    },
  };
}

/** One pending generation move, due `waitMs` after the latest `arm()`; it never keeps the process alive. */
function delayedBump(cache: Cache, waitMs: number): { arm(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dueAt = 0;
  const fire = () => {
    const remaining = dueAt - Date.now();
    if (remaining > 0) {
      timer = setTimeout(fire, remaining);
      timer.unref();
      return;
    }
    timer = undefined;
    // The cache port never rejects (failures resolve without effect), so nothing is lost by not awaiting.
    void cache.bumpGeneration(SEARCH_CACHE_NAMESPACE);
  };
  return {
    arm() {
      dueAt = Date.now() + waitMs;
      if (timer !== undefined) return;
      timer = setTimeout(fire, waitMs);
      timer.unref();
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
