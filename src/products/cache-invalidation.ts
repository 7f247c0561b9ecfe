/**
 * After-commit cache invalidation of product, variant and stock writes (flaw #14: the original invalidated the
 * listing cache only for UpdateListing and DeleteListing).
 *
 * The listing cache is `src/listings/listing-cache.ts`'s `ListingCache` (generation per `listing:{id}`, with its
 * single-flight group): the composition root passes the process's one instance, typed here by the one method
 * used, so a product write also drops a concurrent reader's in-flight load. Search results are cached under the
 * `search` generation (ports/cache.ts); writes that change what search shows bump it.
 */
import type { Cache } from '../../ports/cache.ts';
import type { CoreMetrics } from '../../ports/core-metrics.ts';

/** The part of `ListingCache` writers use. */
export interface ListingCacheInvalidation {
  invalidate(ids: number | readonly number[]): Promise<void>;
}

export interface CacheInvalidationDeps {
  readonly listingCache: ListingCacheInvalidation;
  readonly cache: Cache;
  readonly metrics: CoreMetrics;
}

export const SEARCH_CACHE_NAMESPACE = 'search';

/**
 * Orphans the cached listings `ids` and (unless `search` is false) every cached search result. Call after the
 * commit and before answering. Never throws: a cache failure only costs freshness until the entries' TTL.
 */
export async function invalidateAfterWrite(
  deps: CacheInvalidationDeps,
  ids: readonly number[],
  options: { readonly search?: boolean } = {},
): Promise<void> {
  if (ids.length === 0) return;
  const unique = [...new Set(ids)];
  await Promise.all([
    guard(deps, 'listing_invalidate_failed', () => deps.listingCache.invalidate(unique)),
    options.search === false
      ? undefined
      : guard(deps, 'bumpGeneration_failed', () => deps.cache.bumpGeneration(SEARCH_CACHE_NAMESPACE)),
  ]);
}

async function guard(deps: CacheInvalidationDeps, errorType: string, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch {
    deps.metrics.componentError('cache', errorType);
  }
}
