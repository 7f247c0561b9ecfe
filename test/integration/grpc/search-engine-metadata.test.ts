/**
 * SearchListings on the composition's search with OpenSearch configured and SEARCH_FALLBACK=postgres: the engine
 * that answered is sent as response metadata (`x-search-engine`), never as a field of the original's message.
 */
import type { Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ListingsClient } from '../../../adapters/grpc/client/index.ts';
import { SearchListingsResponse } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { type FailoverSearch, openFailoverSearch } from '../search/failover-search-fixture.ts';
import { ANONYMOUS, type GrpcWorld, OWNER, openGrpcWorld } from './support/harness.ts';

let world: GrpcWorld;
let search: FailoverSearch;
let anonymous: ListingsClient;
const ids: Record<string, number> = {};

beforeAll(async () => {
  world = await openGrpcWorld({
    searchIndex: async (knex) => {
      search = await openFailoverSearch(knex, 'grpc_search_engine');
      return search.adapters.searchIndex;
    },
  });
  const owner = await world.as(OWNER);
  anonymous = await world.as(ANONYMOUS);
  for (const [key, title] of [
    ['bike', 'Bicikl Scott'],
    ['sofa', 'Kauč na razvlačenje'],
  ] as const) {
    const { listing } = await owner.createListing({
      userId: 0,
      title,
      price: 100,
      currency: 'EUR',
      categoryId: world.categories.bicycles!,
      quantity: 1,
    });
    ids[key] = listing!.id;
    await owner.updateListing({ id: listing!.id, userId: 0, status: 'active' });
  }
  await search.index(ids.bike!, ids.sofa!);
}, 120_000);
afterAll(async () => {
  await search?.dispose();
  await world?.close();
});

/** SearchListings, with the response's initial metadata. */
async function searchWithMetadata(query: string) {
  const received: Metadata[] = [];
  const response = await anonymous.searchListings(
    { query, limit: 10, offset: 0 },
    { onMetadata: (metadata) => received.push(metadata) },
  );
  expect(received).toHaveLength(1);
  return { response, engine: received[0]?.get('x-search-engine') };
}

it('sends x-search-engine: opensearch, postgres while OpenSearch is unreachable, then opensearch again', async () => {
  const served = await searchWithMetadata('bicikl');
  expect(served.engine).toEqual(['opensearch']);
  expect(served.response.listings.map((listing) => listing.id)).toEqual([ids.bike]);

  await search.outage.down();
  const degraded = await searchWithMetadata('kauč');
  expect(degraded.engine).toEqual(['postgres']);
  expect(degraded.response.listings.map((listing) => listing.id)).toEqual([ids.sofa]);
  expect(degraded.response.total).toBe(1);
  // Nothing new on the wire: the message encodes to the original's two fields only.
  const decoded = SearchListingsResponse.decode(SearchListingsResponse.encode(degraded.response).finish());
  expect(Object.keys(decoded).sort()).toEqual(['listings', 'total']);

  await search.recover();
  const back = await searchWithMetadata('kauč');
  expect(back.engine).toEqual(['opensearch']); // the fallback's answer was not cached
  expect(back.response.listings.map((listing) => listing.id)).toEqual([ids.sofa]);
});

it('sends it with the PostgreSQL engine of the embedded default too', async () => {
  const plain = await openGrpcWorld();
  try {
    const owner = await plain.as(OWNER);
    const { listing } = await owner.createListing({
      userId: 0,
      title: 'Stolica od hrasta',
      price: 10,
      currency: 'EUR',
      categoryId: plain.categories.furniture!,
      quantity: 1,
    });
    await owner.updateListing({ id: listing!.id, userId: 0, status: 'active' });
    await plain.indexListings(listing!.id);
    const received: Metadata[] = [];
    const client = await plain.as(ANONYMOUS);
    const response = await client.searchListings(
      { query: 'stolica', limit: 10, offset: 0 },
      { onMetadata: (metadata) => received.push(metadata) },
    );
    expect(response.listings.map((found) => found.id)).toEqual([listing!.id]);
    expect(received.map((metadata) => metadata.get('x-search-engine'))).toEqual([['postgres']]);
  } finally {
    await plain.close();
  }
});
