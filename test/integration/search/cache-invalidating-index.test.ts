import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { NO_METRICS } from '../../../ports/core-metrics.ts';
import { validateCreateListing } from '../../../src/domain/listing.ts';
import { ListingCache } from '../../../src/listings/listing-cache.ts';
import { cacheInvalidatingIndex } from '../../../src/search/cache-invalidating-index.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { SearchListings } from '../../../src/search/search-listings.ts';
import { openSqlHarness, type SqlHarness } from '../sql/sql-harness.ts';

// Found by the metrics test: an empty answer cached before the worker indexed a listing hid it for the answer's
// whole TTL. The worker now writes through cacheInvalidatingIndex, which moves the search generation.
describe('writes through the cache-invalidating index (PGlite)', () => {
  let harness: SqlHarness;

  beforeAll(async () => {
    harness = await openSqlHarness('pglite');
  });
  afterAll(() => harness?.dispose());

  it('makes a newly indexed listing findable by the next search, whatever was cached before', async () => {
    const listings = harness.plain.listings;
    const cache = new MemoryCache();
    const raw = new PgSearchIndex({ knex: harness.knex });
    const index = cacheInvalidatingIndex(raw, cache);
    const search = new SearchListings({
      index: raw,
      listings,
      listingCache: new ListingCache({ cache, metrics: NO_METRICS }),
      cache,
      metrics: NO_METRICS,
    });
    const categoryId = await harness.seedCategory({ slug: 'bicikli' });

    expect((await search.execute({ query: 'bicikl', limit: 10, offset: 0 })).total).toBe(0);

    const row = validateCreateListing(
      {
        userId: 3,
        title: 'Bicikl Scott',
        description: 'Malo korišćen',
        price: 1000,
        currency: 'EUR',
        categoryId,
        quantity: 1,
      },
      { uuid: crypto.randomUUID(), now: new Date() },
    );
    const inserted = await listings.insert({ ...row, status: 'active' });
    const details = await listings.findById(inserted.id);
    const document = details === null ? null : buildSearchDocument(details);
    expect(document).not.toBeNull();
    await index.upsert([document as NonNullable<typeof document>]);

    const after = await search.execute({ query: 'bicikl', limit: 10, offset: 0 });
    expect(after.total).toBe(1);
    expect(after.listings.map((listing) => listing.id)).toEqual([inserted.id]);

    // Without the wrapper the same cached empty answer would still be served.
    await raw.remove([{ id: inserted.id, version: inserted.version + 1 }]);
    expect((await search.execute({ query: 'bicikl', limit: 10, offset: 0 })).total).toBe(1);
  });
});
