import type { Cache } from '../../ports/cache.ts';
import type { CoreMetrics } from '../../ports/core-metrics.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { SearchEngine, SearchFacets, SearchIndex, SearchQuery } from '../../ports/search-index.ts';
import { isSearchable, type ListingDetails } from '../domain/listing.ts';
import type { ListingCache } from '../listings/listing-cache.ts';
import { SingleFlight } from '../shared/single-flight.ts';
import { type SearchListingsRequest, validateSearchRequest } from './search-request.ts';

export interface SearchListingsDeps {
  readonly index: SearchIndex;
  readonly listings: ListingRepository;
  /** The process's listing cache (GetListing's): hits are loaded through it. */
  readonly listingCache: ListingCache;
  /** Caches the index's answers; undefined when caching is off. */
  readonly cache: Cache | undefined;
  readonly metrics: CoreMetrics;
  /** `CACHE_SEARCH_TTL`; default 2 minutes. */
  readonly ttlMs?: number;
}

export interface SearchListingsResult {
  /** The current rows of the hits, in hit order; hits that are no longer searchable are left out. */
  readonly listings: readonly ListingDetails[];
  /** Every match in the index (a listing changed since it was indexed may be counted but left out of the page). */
  readonly total: number;
  /** Null unless facets were asked for. */
  readonly facets: SearchFacets | null;
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
  /**
   * The engine that answered: the configured one, or `postgres` while OpenSearch is down and the fallback answers
   * (a degraded answer: as fresh as the index was when the engine went down). A cached answer names the engine that
   * computed it. Driving adapters tell their callers (REST `X-Search-Engine`, gRPC metadata `x-search-engine`).
   */
  readonly servedBy: SearchEngine;
}

export const SEARCH_CACHE_TTL_MS = 2 * 60_000;
/** The cache family of search answers; the indexing worker bumps its generation after writing to the index. */
export const SEARCH_CACHE_NAMESPACE = 'search';

/** What is cached: the index's answer (ids, total, facets, cursor), never the rows, which are always read fresh. */
interface CachedAnswer {
  readonly ids: readonly number[];
  readonly total: number;
  readonly facets: SearchFacets | null;
  readonly nextCursor: string | null;
  /** Only the configured engine's answers are cached; entries written before this field existed lack it. */
  readonly servedBy?: SearchEngine;
}

/**
 * SearchListings (and REST search): full text in Russian and Serbian with relevance, filters, location, sorts,
 * facets and cursor pages over the search index, with the original's input checks (limit 1..100, offset ≥ 0,
 * min ≤ max price, `search query must be at least 2 characters`); an empty query browses (flaw #16).
 *
 * The index's answer is cached for 2 minutes under every parameter and the search generation (flaw #13: the
 * original's key missed the price filters and lost `total`); then each hit is loaded through the listing cache and
 * repository, so the response carries the real, current rows, and rows that are no longer active, public and live
 * are dropped (flaw #15).
 */
export class SearchListings {
  readonly #deps: SearchListingsDeps;
  readonly #flights = new SingleFlight();

  constructor(deps: SearchListingsDeps) {
    this.#deps = deps;
  }

  async execute(request: SearchListingsRequest): Promise<SearchListingsResult> {
    const query = validateSearchRequest(request);
    const { index, metrics } = this.#deps;
    const answer = await this.#answer(query);
    const servedBy = answer.servedBy ?? index.engine;
    // Counted by the engine that answered: searches counted under `postgres` while OpenSearch is configured are
    // the fallback at work.
    metrics.listingsSearched(servedBy);
    const rows = await Promise.all(answer.ids.map((id) => this.#load(id)));
    return {
      listings: rows.filter((row): row is ListingDetails => row !== null && isSearchable(row)),
      total: answer.total,
      facets: answer.facets,
      nextCursor: answer.nextCursor,
      servedBy,
    };
  }

  async #answer(query: SearchQuery): Promise<CachedAnswer> {
    const { cache, metrics } = this.#deps;
    // The generation is read before the index, so an answer computed before a bump lands under the old one.
    const generation = cache === undefined ? undefined : await cache.generation(SEARCH_CACHE_NAMESPACE);
    if (cache === undefined || generation === undefined) return this.#ask(query);
    const key = `${SEARCH_CACHE_NAMESPACE}:g${generation}:${this.#deps.index.engine}:${await digest(query)}`;
    const cached = parse(await cache.get(key));
    if (cached !== undefined) {
      metrics.cacheLookup('search', 'hit');
      return cached;
    }
    metrics.cacheLookup('search', 'miss');
    return this.#flights.run(key, async () => {
      const answer = await this.#ask(query);
      // A fallback's answer is not kept: once the engine is back, the next search asks it.
      if (answer.servedBy === this.#deps.index.engine) {
        await cache.set(key, JSON.stringify(answer), this.#deps.ttlMs ?? SEARCH_CACHE_TTL_MS);
      }
      return answer;
    });
  }

  async #ask(query: SearchQuery): Promise<CachedAnswer> {
    const result = await this.#deps.index.search(query);
    return {
      ids: result.hits.map((hit) => hit.id),
      total: result.total,
      facets: result.facets,
      nextCursor: result.nextCursor,
      servedBy: result.servedBy,
    };
  }

  #load(id: number): Promise<ListingDetails | null> {
    const { listingCache, listings } = this.#deps;
    return listingCache.read(id, () => listings.findById(id));
  }
}

/** SHA-256 of every parameter, in a fixed key order: keys stay short and two queries never share an entry. */
async function digest(query: SearchQuery): Promise<string> {
  const text = JSON.stringify(query, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function parse(text: string | undefined): CachedAnswer | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as CachedAnswer;
    return Array.isArray(value.ids) && typeof value.total === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}
