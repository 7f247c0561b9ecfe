import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import type { ListingRepository } from '../../../ports/listing-repository.ts';
import type { SearchEngine, SearchIndex, SearchQuery, SearchResult } from '../../../ports/search-index.ts';
import type { ListingDetails } from '../../../src/domain/listing.ts';
import { ListingCache } from '../../../src/listings/listing-cache.ts';
import { SEARCH_CACHE_NAMESPACE, SearchListings } from '../../../src/search/search-listings.ts';
import type { SearchListingsRequest } from '../../../src/search/search-request.ts';
import { recordingMetrics } from '../use-cases/recording-metrics.ts';
import { sampleListing } from '../use-cases/sample-listing.ts';

/** A MemoryCache that remembers the keys written, so a test can put an entry under the key SearchListings uses. */
class KeyRecordingCache extends MemoryCache {
  readonly keys: string[] = [];
  override async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.keys.push(key);
    await super.set(key, value, ttlMs);
  }
}

function world(options: { cache?: boolean; hits?: number[]; servedBy?: () => SearchEngine } = {}) {
  const rows = new Map<number, ListingDetails>([1, 2, 3].map((id) => [id, sampleListing({ id, title: `Row ${id}` })]));
  const queries: SearchQuery[] = [];
  // Configured with OpenSearch, as the failover is; `servedBy` says which engine answered each search.
  const index: SearchIndex = {
    engine: 'opensearch',
    async search(query): Promise<SearchResult> {
      queries.push(query);
      const hits = (options.hits ?? [3, 1, 2]).map((id) => ({ id, version: 1, score: null, cursor: `c${id}` }));
      return { hits, total: 7, facets: null, nextCursor: 'next', servedBy: options.servedBy?.() ?? 'opensearch' };
    },
  } as SearchIndex;
  const listings = { findById: async (id: number) => rows.get(id) ?? null } as unknown as ListingRepository;
  const cache = options.cache === false ? undefined : new KeyRecordingCache();
  const metrics = recordingMetrics();
  const searched: string[] = [];
  const listingCache = new ListingCache({ cache, metrics });
  const search = new SearchListings({
    index,
    listings,
    listingCache,
    cache,
    metrics: { ...metrics, listingsSearched: (engine) => searched.push(engine) },
  });
  return { rows, queries, cache, metrics, searched, listingCache, search };
}

const base: SearchListingsRequest = { query: '', limit: 10, offset: 0 };

describe('SearchListings input', () => {
  it.each<[string, Partial<SearchListingsRequest>, string]>([
    ['a one-character query', { query: ' a ' }, 'search query must be at least 2 characters'],
    ['limit 0', { limit: 0 }, 'limit must be greater than 0'],
    ['limit 101', { limit: 101 }, 'limit must not exceed 100'],
    ['a negative offset', { offset: -1 }, 'offset cannot be negative'],
    ['min above max', { minPrice: 20, maxPrice: 10 }, 'min_price cannot be greater than max_price'],
    ['an unknown sort', { sort: 'cheapest' }, 'invalid sort: cheapest'],
    ['distance without a location', { sort: 'distance' }, 'sort by distance needs lat, lon and radius_km'],
    ['half a location', { lat: 44.8, lon: 20.4 }, 'lat, lon and radius_km must be given together'],
    ['a radius of 0', { lat: 44.8, lon: 20.4, radiusKm: 0 }, 'radius_km must be greater than 0 and at most 20016'],
    ['a cursor with an offset', { cursor: 'abc', offset: 10 }, 'offset must be 0 when a cursor is given'],
    ['an offset past 10 000', { offset: 9_995 }, 'offset + limit must not exceed 10000; use next_cursor'],
    ['an unknown currency', { currency: 'XYZ' }, 'currency must be a known ISO 4217 code'],
  ])('rejects %s with the message callers know', async (_, overrides, message) => {
    const { search, queries } = world();
    await expect(search.execute({ ...base, ...overrides })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      violations: expect.arrayContaining([expect.objectContaining({ message })]),
    });
    expect(queries).toEqual([]);
  });

  it('reports every problem at once', async () => {
    const { search } = world();
    await expect(search.execute({ query: 'x', limit: 0, offset: -1 })).rejects.toMatchObject({
      violations: [
        expect.objectContaining({ field: 'query' }),
        expect.objectContaining({ field: 'limit' }),
        expect.objectContaining({ field: 'offset' }),
      ],
    });
  });

  it('browses with an empty query (flaw #16) and asks the index for active listings with every filter', async () => {
    const { search, queries } = world();
    await search.execute({
      ...base,
      categoryId: 3,
      categoryIds: [4, 3],
      minPrice: 10.01,
      currency: 'EUR',
      sourceType: 'b2c',
      attributes: { condition: 'new' },
      lat: 44.8,
      lon: 20.4,
      radiusKm: 5,
      sort: 'distance',
      facetAttributeKeys: ['condition'],
    });
    expect(queries[0]).toEqual({
      text: '',
      filters: {
        status: 'active',
        categoryIds: [3, 4],
        price: { min: 1001, max: null },
        currency: 'EUR',
        sourceType: 'b2c',
        attributes: [{ key: 'condition', value: 'new' }],
        geo: { lat: 44.8, lon: 20.4, radiusKm: 5 },
      },
      sort: 'distance',
      limit: 10,
      offset: 0,
      after: null,
      facets: { attributeKeys: ['condition'] },
    });
  });
});

describe('SearchListings answers', () => {
  it('returns the current rows in hit order and drops those no longer searchable or gone (flaw #15)', async () => {
    const { search, rows } = world({ hits: [3, 4, 1, 2] });
    rows.set(2, sampleListing({ id: 2, status: 'sold' }));
    const result = await search.execute(base);
    expect(result.listings.map((row) => row.id)).toEqual([3, 1]);
    expect(result.listings[0]?.title).toBe('Row 3');
    expect(result).toMatchObject({ total: 7, nextCursor: 'next', facets: null });
  });

  it('caches the index answer with its total for every parameter, and reads rows fresh (flaw #13)', async () => {
    const { search, queries, rows, listingCache, metrics } = world();
    const first = await search.execute({ ...base, query: 'bike', maxPrice: 100 });
    rows.set(1, sampleListing({ id: 1, title: 'Renamed' }));
    await listingCache.invalidate(1);
    const second = await search.execute({ ...base, query: 'bike', maxPrice: 100 });
    expect(queries).toHaveLength(1);
    expect(second.total).toBe(first.total);
    expect(second.listings.find((row) => row.id === 1)?.title).toBe('Renamed');
    await search.execute({ ...base, query: 'bike', maxPrice: 200 });
    expect(queries).toHaveLength(2);
    expect(metrics.events.filter((event) => event.startsWith('search:'))).toEqual([
      'search:miss',
      'search:hit',
      'search:miss',
    ]);
  });

  it('asks the index again once the search generation moves', async () => {
    const { search, queries, cache } = world();
    await search.execute(base);
    await cache?.bumpGeneration(SEARCH_CACHE_NAMESPACE);
    await search.execute(base);
    expect(queries).toHaveLength(2);
  });

  it("names the engine that answered, counts the search under it, and never caches a fallback's answer", async () => {
    let engine: SearchEngine = 'postgres';
    const { search, queries, searched } = world({ servedBy: () => engine });
    expect((await search.execute(base)).servedBy).toBe('postgres');
    expect((await search.execute(base)).servedBy).toBe('postgres');
    expect(queries).toHaveLength(2); // not cached: once OpenSearch is back, the next search asks it
    engine = 'opensearch';
    expect((await search.execute(base)).servedBy).toBe('opensearch');
    expect((await search.execute(base)).servedBy).toBe('opensearch'); // from the cache, still OpenSearch's answer
    expect(queries).toHaveLength(3);
    expect(searched).toEqual(['postgres', 'postgres', 'opensearch', 'opensearch']);
  });

  it("reads an answer cached before answers named their engine as the index's own", async () => {
    const { search, queries, cache } = world();
    await search.execute(base);
    const key = cache?.keys.find((written) => written.startsWith(`${SEARCH_CACHE_NAMESPACE}:`));
    expect(key).toBeDefined();
    await cache?.set(key as string, JSON.stringify({ ids: [1], total: 1, facets: null, nextCursor: null }), 60_000);
    expect(await search.execute(base)).toMatchObject({ servedBy: 'opensearch', total: 1 });
    expect(queries).toHaveLength(1);
  });

  it('asks the index every time when caching is off, and coalesces nothing wrongly', async () => {
    const { search, queries } = world({ cache: false });
    await Promise.all([search.execute(base), search.execute(base)]);
    expect(queries).toHaveLength(2);
  });
});
