import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FailoverSearch, openFailoverSearch } from '../search/failover-search-fixture.ts';
import { type ApiWorld, openApiWorld } from './api-world.ts';

// REST search on the composition's search with OpenSearch configured and SEARCH_FALLBACK=postgres: the
// `X-Search-Engine` header names the engine that answered, the body keeps the original's shape.
let world: ApiWorld;
let search: FailoverSearch;
const ids: Record<string, number> = {};

beforeAll(async () => {
  world = await openApiWorld({
    searchIndex: async (knex) => {
      search = await openFailoverSearch(knex, 'http_search_engine');
      return search.adapters.searchIndex;
    },
  });
  ids.bike = (await world.newActiveListing({ title: 'Gravel bike' })).id;
  ids.sofa = (await world.newActiveListing({ title: 'Leather sofa', category_id: world.categories.furniture })).id;
  await search.index(ids.bike, ids.sofa);
}, 120_000);
afterAll(async () => {
  await search?.dispose();
  await world?.close();
});

const SEARCH = '/api/v1/listings/search';
const idsOf = (body: { listings: { id: number }[] }) => body.listings.map((listing) => listing.id);

it('answers X-Search-Engine: opensearch, postgres while OpenSearch is unreachable, then opensearch again', async () => {
  const served = await world.request({ method: 'GET', url: `${SEARCH}?query=bike` });
  expect(served.statusCode).toBe(200);
  expect(served.headers['x-search-engine']).toBe('opensearch');
  expect(idsOf(served.json())).toEqual([ids.bike]);

  await search.outage.down();
  const degraded = await world.request({ method: 'GET', url: `${SEARCH}?query=sofa` });
  expect(degraded.statusCode).toBe(200);
  expect(degraded.headers['x-search-engine']).toBe('postgres');
  expect(degraded.headers['x-served-by']).toBe('microservice');
  // The same body as OpenSearch's answer: nothing new in it, so existing clients read it as before.
  expect(degraded.json()).toEqual({ listings: [expect.objectContaining({ id: ids.sofa })], total: 1 });

  await search.recover();
  const back = await world.request({ method: 'GET', url: `${SEARCH}?query=sofa` });
  expect(back.headers['x-search-engine']).toBe('opensearch'); // the fallback's answer was not cached
  expect(idsOf(back.json())).toEqual([ids.sofa]);
});
