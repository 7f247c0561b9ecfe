import { randomBytes } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSearchIndex, type SearchAdapters } from '../../../adapters/composition/search.ts';
import { loadConfig } from '../../../adapters/config/load.ts';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import { NO_METRICS } from '../../../ports/core-metrics.ts';
import { ListingCache } from '../../../src/listings/listing-cache.ts';
import { SearchListings } from '../../../src/search/search-listings.ts';
import { SuggestListings } from '../../../src/search/suggest.ts';
import { opensearchUrl } from '../../support/servers.ts';
import { TcpOutage } from '../../support/tcp-outage.ts';
import { eventually, openWorkerWorld, recordingLogger, type WorkerWorld } from '../worker/worker-fixture.ts';

// The composition's search with OpenSearch configured (behind a TCP proxy that can go down) and the default
// SEARCH_FALLBACK=postgres: the worker writes OpenSearch and PostgreSQL's search table, searches read OpenSearch,
// answer from PostgreSQL while OpenSearch is unreachable, and go back to OpenSearch once it answers again.
const outage = new TcpOutage(opensearchUrl());
const alias = `search_failover_${randomBytes(4).toString('hex')}`;
const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
let search: SearchAdapters;
let t: WorkerWorld;
const searched: string[] = [];

beforeAll(async () => {
  await outage.up();
  const { config } = loadConfig({
    version: 'test',
    dotenvPath: false,
    environment: {
      SVETULISTINGS_OPENSEARCH_ADDRESSES: `http://127.0.0.1:${outage.port}`,
      SVETULISTINGS_OPENSEARCH_USERNAME: '',
      SVETULISTINGS_OPENSEARCH_INDEX: alias,
    },
  });
  t = await openWorkerWorld({
    name: 'composition search',
    open: (world) => {
      search = buildSearchIndex(config, world.knex, recordingLogger(lines));
      return { index: search.writeIndex, clear: async () => {}, drop: async () => {} };
    },
  });
});
afterAll(async () => {
  await outage.down();
  const admin = new Client({ node: opensearchUrl() });
  await admin.indices.delete({ index: `${alias}_v*`, ignore_unavailable: true }).finally(() => admin.close());
  await t?.dispose(); // closes the write index, whose OpenSearch client the read index shares
});

function searchListings(cache: MemoryCache | undefined) {
  const listingCache = new ListingCache({ cache: new MemoryCache(), metrics: NO_METRICS });
  const metrics = { ...NO_METRICS, listingsSearched: (engine: string) => searched.push(engine) };
  const deps = { index: search.searchIndex, listings: t.repos.listings, listingCache, cache, metrics };
  return { listings: new SearchListings(deps), suggest: new SuggestListings(deps) };
}

it('answers from PostgreSQL while OpenSearch is unreachable, flagged, and from OpenSearch again once it is back', async () => {
  expect(search.engine).toBe('opensearch');
  const flat = await t.world.newListingWithStatus('active', { title: 'Квартира в центре' });
  const bike = await t.world.newListingWithStatus('active', { title: 'Горный велосипед' });
  expect(await t.worker().drain({ until: 'empty' })).toMatchObject({ completed: 2, dead: 0 });
  await search.searchIndex.refresh();
  const uncached = searchListings(undefined);
  const query = { query: 'квартиры', limit: 10, offset: 0 };

  const before = await uncached.listings.execute(query);
  expect(before.listings.map((row) => row.id)).toEqual([flat.id]);
  expect(before.servedBy).toBe('opensearch');

  await outage.down();
  const during = await uncached.listings.execute(query);
  expect(during.servedBy).toBe('postgres');
  expect(during.listings.map((row) => row.id)).toEqual([flat.id]); // the same answer, stemmed by PostgreSQL
  expect(during.total).toBe(1);
  expect((await uncached.suggest.execute({ prefix: 'Гор', limit: 5 })).map((s) => s.id)).toEqual([bike.id]);
  expect(lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
    'search: the search engine is unavailable; answering from the fallback index',
  ]);
  expect(searched).toEqual(['opensearch', 'postgres']);

  // A degraded answer is not cached: once OpenSearch is back, the same search is asked of it.
  const cached = searchListings(new MemoryCache());
  expect((await cached.listings.execute({ query: 'велосипед', limit: 10, offset: 0 })).servedBy).toBe('postgres');

  await outage.up();
  await eventually(async () => (await uncached.listings.execute(query)).servedBy === 'opensearch', 20_000);
  expect(lines.at(-1)?.message).toBe('search: the search engine answers again; reads use it');
  const again = await cached.listings.execute({ query: 'велосипед', limit: 10, offset: 0 });
  expect(again).toMatchObject({ servedBy: 'opensearch', total: 1 });
  expect(again.listings.map((row) => row.id)).toEqual([bike.id]);
});

it('keeps the fallback in step: a listing changed while OpenSearch answers is found by the fallback too', async () => {
  await outage.up();
  const chair = await t.world.newListingWithStatus('active', { title: 'Stolica od hrasta' });
  await t.worker().drain({ until: 'empty' });
  // The worker's breaker reports the engine down (as it does when a whole bulk fails): reads switch at once.
  search.engineAvailability(false);
  const answer = await searchListings(undefined).listings.execute({ query: 'stolica', limit: 10, offset: 0 });
  expect(answer).toMatchObject({ servedBy: 'postgres', total: 1 });
  expect(answer.listings.map((row) => row.id)).toEqual([chair.id]);
  search.engineAvailability(true);
  expect((await searchListings(undefined).listings.execute({ query: 'stolica', limit: 10, offset: 0 })).servedBy).toBe(
    'opensearch',
  );
});
