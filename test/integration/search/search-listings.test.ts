import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { NO_METRICS } from '../../../ports/core-metrics.ts';
import type { ListingRepository } from '../../../ports/listing-repository.ts';
import { validateCreateListing } from '../../../src/domain/listing.ts';
import { ListingCache } from '../../../src/listings/listing-cache.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { SEARCH_CACHE_NAMESPACE, SearchListings } from '../../../src/search/search-listings.ts';
import { SuggestListings } from '../../../src/search/suggest.ts';
import { openSqlHarness, type SqlHarness } from '../sql/sql-harness.ts';

// SearchListings end to end on PGlite: rows written by the SQL repository, documents built by the one builder and
// indexed in listing_search, answers loaded back as the real rows.
describe('SearchListings over pgsearch and the SQL listing repository (PGlite)', () => {
  let harness: SqlHarness;
  let listings: ListingRepository;
  let index: PgSearchIndex;
  let cache: MemoryCache;
  let listingCache: ListingCache;
  let search: SearchListings;
  const ids: Record<string, number> = {};

  /** What the indexing worker will do for one listing: build its document, or remove it. */
  async function reindex(id: number): Promise<void> {
    const row = await listings.findById(id);
    const document = row === null ? null : buildSearchDocument(row);
    const version = row?.version ?? (await listings.findRow(id, { includeDeleted: true }))?.version ?? 1;
    const [result] = document === null ? await index.remove([{ id, version }]) : await index.upsert([document]);
    expect(result?.status).toBe('ok');
    await cache.bumpGeneration(SEARCH_CACHE_NAMESPACE);
  }

  beforeAll(async () => {
    harness = await openSqlHarness('pglite');
    listings = harness.plain.listings;
    index = new PgSearchIndex({ knex: harness.knex });
    cache = new MemoryCache();
    listingCache = new ListingCache({ cache, metrics: NO_METRICS });
    search = new SearchListings({ index, listings, listingCache, cache, metrics: NO_METRICS });
    const categoryId = await harness.seedCategory({ slug: 'stanovi' });
    const now = new Date();
    for (const [key, title, description] of [
      ['flat', 'Stan na Vračaru', 'Dvosoban stan, renoviran'],
      ['flat2', 'Novi stanovi u Zemunu', 'Useljivo odmah'],
      ['bike', 'Bicikl Scott', 'Malo korišćen'],
    ] as const) {
      const row = validateCreateListing(
        { userId: 7, title, description, price: 1000, currency: 'EUR', categoryId, quantity: 1 },
        { uuid: crypto.randomUUID(), now },
      );
      const inserted = await listings.insert({ ...row, status: 'active' });
      ids[key] = inserted.id;
      await reindex(inserted.id);
    }
  });

  afterAll(() => harness?.dispose());

  it('answers with the real rows, Serbian stems matched', async () => {
    const result = await search.execute({ query: 'stanova', limit: 10, offset: 0 });
    // `stanova` and `stanovi` share the stem `stanov`; the Serbian stemmer keeps `stan` apart.
    expect(result.listings.map((row) => row.id)).toEqual([ids.flat2]);
    expect(result.total).toBe(1);
    expect(result.listings[0]).toMatchObject({ currency: 'EUR', categoryId: expect.any(Number), version: 1 });
  });

  it('drops a listing that stopped being searchable before the index caught up, then the index forgets it', async () => {
    await listings.update(ids.bike as number, null, { status: 'sold' });
    await listingCache.invalidate(ids.bike as number);
    const stale = await search.execute({ query: 'bicikl', limit: 10, offset: 0 });
    expect(stale.listings).toEqual([]);
    await reindex(ids.bike as number);
    const fresh = await search.execute({ query: 'bicikl', limit: 10, offset: 0 });
    expect(fresh.total).toBe(0);
  });

  it('suggests titles from two characters', async () => {
    const suggest = new SuggestListings({ index, cache, metrics: NO_METRICS });
    const titles = (await suggest.execute({ prefix: 'sta' })).map((suggestion) => suggestion.title);
    expect(titles.sort()).toEqual(['Novi stanovi u Zemunu', 'Stan na Vračaru']);
  });
});
