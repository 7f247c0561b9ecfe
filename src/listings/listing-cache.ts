import type { Cache } from '../../ports/cache.ts';
import type { CoreMetrics } from '../../ports/core-metrics.ts';
import type { ListingDetails } from '../domain/listing.ts';
import { FencedCache } from '../shared/fenced-cache.ts';
import { decodeListing, encodeListing } from './listing-codec.ts';

export interface ListingCacheOptions {
  /** Undefined when caching is off (`CACHE_DRIVER=none`): every read goes to the database, still coalesced. */
  readonly cache: Cache | undefined;
  readonly metrics: CoreMetrics;
  /** `CACHE_LISTING_TTL`; default 5 minutes. */
  readonly ttlMs?: number;
  /** How long "no such listing" is remembered; default 30 seconds. */
  readonly negativeTtlMs?: number;
}

/** The generation namespace of cached search results (`search:g{generation}:…`), shared with product writes. */
export const SEARCH_CACHE_NAMESPACE = 'search';

export const LISTING_CACHE_TTL_MS = 5 * 60_000;
export const LISTING_NEGATIVE_TTL_MS = 30_000;

/**
 * The listing-by-id cache (`listing:{id}`), shared by GetListing and every writer of a listing row or its side rows.
 * Build one per process: its single-flight group must be shared by all requests.
 *
 * Every use case that changes what GetListing returns (listing and product writes, stock, views, favorites counts,
 * images, deletes of any kind) calls {@link ListingCache.invalidate} after its commit (flaw #14).
 */
export class ListingCache {
  readonly #entries: FencedCache<ListingDetails>;
  readonly #options: ListingCacheOptions;

  constructor(options: ListingCacheOptions) {
    this.#options = options;
    this.#entries = new FencedCache<ListingDetails>({
      cache: options.cache,
      metrics: options.metrics,
      cacheType: 'listing',
      ttlMs: options.ttlMs ?? LISTING_CACHE_TTL_MS,
      negativeTtlMs: options.negativeTtlMs ?? LISTING_NEGATIVE_TTL_MS,
      encode: encodeListing,
      decode: decodeListing,
    });
  }

  /** The listing from the cache, or from `load` (one load for concurrent misses); null = missing or deleted. */
  read(id: number, load: () => Promise<ListingDetails | null>): Promise<ListingDetails | null> {
    return this.#entries.read(listingKey(id), load);
  }

  /** What a read would find cached for this listing, without loading or storing (see {@link FencedCache.peek}). */
  peek(id: number): Promise<{ readonly value: ListingDetails | null } | undefined> {
    return this.#entries.peek(listingKey(id));
  }

  /**
   * After a commit that changed these listings (or created them: it clears a cached "not found"). With `search`,
   * also orphans every cached search result (the `search` generation, as product writes do), for writes that change
   * what search shows. Never rejects.
   */
  async invalidate(ids: number | readonly number[], options: { readonly search?: boolean } = {}): Promise<void> {
    const list = typeof ids === 'number' ? [ids] : ids;
    const { cache, metrics } = this.#options;
    await Promise.all([
      this.#entries.invalidate([...new Set(list)].map(listingKey)),
      options.search === true && cache !== undefined
        ? cache
            .bumpGeneration(SEARCH_CACHE_NAMESPACE)
            .catch(() => metrics.componentError('cache', 'bumpGeneration_failed'))
        : undefined,
    ]);
  }
}

function listingKey(id: number): string {
  return `listing:${id}`;
}
