import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListingsClient, type ListingsClient } from '../../../adapters/grpc/client/index.ts';
import {
  CreateListingRequest,
  ListListingsRequest,
  SearchListingsRequest,
} from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { createMetricSet } from '../../../adapters/prometheus/metric-set.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { redisUrl } from '../../support/servers.ts';
import { call, sampleSum, seededDatabase, serve, type TestService, token } from './service.ts';

/**
 * Metrics this test cannot move, each with why. Everything else declared in metric-set.ts must have a non-zero
 * sample after the paths below ran (gauges that rest at zero are in AT_REST, and only need a series).
 */
const CANNOT_MOVE: Record<string, string> = {
  // Need a call that runs past (or to 80 % of) its deadline; no product route is slow enough on an idle database.
  listings_timeouts_total: 'no call exceeds its deadline',
  listings_near_timeouts_total: 'no call reaches 80 % of its deadline',
  listings_timeout_duration_seconds: 'observed only on a timeout',
  // Errors the service survives: Redis or worker failures; the closed-Redis test below moves errors_total.
  listings_errors_total: 'no component fails on a healthy stack (moved in shared-redis.test.ts)',
  // Redis store failures: moved in shared-redis.test.ts (Redis on a closed port).
  listings_cache_errors_total: 'Redis is healthy here',
  listings_rate_limit_fail_open_total: 'Redis is healthy here',
  // A view fails only on a database error other than "no such product".
  listings_inventory_product_views_errors_total: 'needs a database failure',
  // Dead letters need a job that fails every retry.
  listings_indexing_dead_letters: 'no job exhausts its retries',
};

/** Gauges that go back to zero once the calls are done: the series must exist, its value may be 0. */
const AT_REST = new Set([
  // Sampled pool gauges: an idle pool may have no connection waiting (or none idle) at the moment of sampling.
  'listings_db_connections_waiting',
  'listings_db_connections_idle',
  // Stock gauges are sampled every 15 s and may not have seen the test's products yet.
  'listings_inventory_stock_value',
  'listings_inventory_out_of_stock_products',
  'listings_grpc_handler_requests_active',
  'listings_indexing_queue_size',
  'listings_indexing_oldest_pending_age_seconds',
]);

let db: TestDatabase;
let categories: Record<string, number>;
let service: TestService;
let client: ListingsClient;

beforeAll(async () => {
  ({ db, categories } = await seededDatabase());
  // A healthy Redis on a loaded CI machine can still take more than the 200 ms default to answer; a timeout would
  // move the error counters this test requires to stay still.
  service = await serve(db.url as string, redisUrl(), { SVETULISTINGS_REDIS_COMMAND_TIMEOUT: '5s' });
  client = createListingsClient(service.grpcAddress, { token: await token('7') });
}, 60_000);

afterAll(async () => {
  client?.close();
  await service?.stop();
  await db?.dispose();
});

describe('/metrics of the running service', () => {
  it('declares every metric and moves each one the exercised paths touch', async () => {
    const owner = await token('7');
    const admin = await token('1', ['admin']);
    const orders = await token('orders', ['service']);
    const base = service.base;
    const word = `zebrawood${Math.random()
      .toString(36)
      .replace(/[^a-z]/g, '')
      .slice(0, 6)}`;

    // REST listings: create, publish, get twice (miss then hit), list, update, search, delete.
    const created = await call(base, 'POST', '/api/v1/listings', {
      token: owner,
      body: { title: `Bike of ${word}`, price: 100, currency: 'RSD', category_id: categories.bicycles, quantity: 1 },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.id as number;
    expect((await call(base, 'POST', `/api/v1/listings/${id}/publish`, { token: owner })).status).toBe(200);
    expect((await call(base, 'GET', `/api/v1/listings/${id}`)).status).toBe(200);
    expect((await call(base, 'GET', `/api/v1/listings/${id}`)).status).toBe(200);
    expect((await call(base, 'GET', '/api/v1/listings?limit=5')).status).toBe(200);
    const updated = await call(base, 'PATCH', `/api/v1/listings/${id}`, { token: owner, body: { price: 120 } });
    expect(updated.status, JSON.stringify(updated.json)).toBe(200);
    const doomed = await call(base, 'POST', '/api/v1/listings', {
      token: owner,
      body: { title: 'Short-lived', price: 5, currency: 'RSD', category_id: categories.bicycles, quantity: 1 },
    });
    expect((await call(base, 'DELETE', `/api/v1/listings/${doomed.json.id}`, { token: owner })).status).toBe(204);

    // The indexing worker makes the listing searchable. Search pages are cached (an empty answer too, until the TTL),
    // so each poll asks a different page size to reach the index.
    const deadline = Date.now() + 30_000;
    let found = 0;
    for (let attempt = 1; found === 0 && Date.now() < deadline; attempt += 1) {
      const page = await call(base, 'GET', `/api/v1/listings/search?query=${word}&limit=${attempt}`);
      expect(page.status).toBe(200);
      found = page.json.total as number;
      if (found === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(found).toBeGreaterThan(0);

    // Products and stock: a B2C product, a sale that crosses the low-stock threshold, a refused movement.
    const [shop] = await db
      .knex('storefronts')
      .insert({ user_id: 7, slug: `shop-${word}`, name: 'Shop' })
      .returning('id');
    const shopId = Number(typeof shop === 'object' ? shop.id : shop);
    const product = await call(base, 'POST', `/api/v1/storefronts/${shopId}/products`, {
      token: owner,
      body: { name: 'Lamp', price: 20, currency: 'RSD', category_id: categories.furniture, stock_quantity: 10 },
    });
    expect(product.status, JSON.stringify(product.json)).toBe(201);
    const productId = product.json.id as number;
    const sale = await call(base, 'POST', '/api/v1/stock/decrement', {
      token: orders,
      body: { items: [{ product_id: productId, quantity: 6 }], order_id: 'o-1' },
    });
    expect(sale.json).toMatchObject({ success: true });
    const refused = await call(base, 'POST', '/api/v1/products/999999/movements', {
      token: admin,
      body: { storefront_id: shopId, movement_type: 'in', quantity: 1, user_id: 1 },
    });
    expect(refused.status).toBe(404);

    // gRPC: reads, a write, a search, a view, and DeleteListing past its 20/min per-user limit.
    await client.getListing({ id });
    await client.listListings(ListListingsRequest.fromPartial({ limit: 5 }));
    await client.searchListings(SearchListingsRequest.fromPartial({ query: word, limit: 5 }));
    await client.createListing(
      CreateListingRequest.fromPartial({
        userId: 7,
        title: 'Over gRPC',
        price: 10,
        currency: 'RSD',
        categoryId: categories.bicycles,
        quantity: 1,
      }),
    );
    await client.incrementProductViews({ productId });
    const codes: string[] = [];
    for (let i = 0; i < 21; i += 1) {
      await client.deleteListing({ id: 999_000 + i, userId: 7 }).catch((error: { code?: unknown }) => {
        codes.push(String(error.code));
      });
    }
    expect(codes).toHaveLength(21);
    expect(codes.at(-1)).toBe('8'); // RESOURCE_EXHAUSTED

    const page = await (await fetch(`${base}/metrics`)).text();
    const declared = createMetricSet({ collectProcessMetrics: false })
      .registry.getMetricsAsArray()
      .map((metric) => metric.name);
    expect(declared.length).toBeGreaterThanOrEqual(40);
    const missing = declared.filter((name) => !page.includes(`# TYPE ${name} `));
    expect(missing).toEqual([]);

    const still: string[] = [];
    for (const name of declared) {
      if (name in CANNOT_MOVE) continue;
      const isHistogram = page.includes(`# TYPE ${name} histogram`);
      const series = isHistogram ? `${name}_count` : name;
      if (AT_REST.has(name)) {
        if (!new RegExp(`^${series}(\\{| )`, 'm').test(page)) still.push(`${name} (no series)`);
      } else if (sampleSum(page, series) <= 0) still.push(name);
    }
    expect(still).toEqual([]);
    // The list stays honest: what it says cannot move did not move (update it when one gets wired).
    const moved = Object.keys(CANNOT_MOVE).filter((name) => {
      const series = page.includes(`# TYPE ${name} histogram`) ? `${name}_count` : name;
      return sampleSum(page, series) > 0;
    });
    expect(moved).toEqual([]);

    // The labels the brief names: REST and gRPC rate-limit counters, cache hits and misses of listings.
    expect(page).toMatch(
      /listings_rate_limit_hits_total\{method="\/api\/v1\/listings\/:id",identifier_type="ip"\} [1-9]/,
    );
    expect(page).toMatch(/listings_rate_limit_rejected_total\{method="\/listings.v1.ListingsService\/DeleteListing"/);
    expect(page).toMatch(/listings_cache_hits_total\{cache_type="listing"\} [1-9]/);
    expect(page).toMatch(/listings_cache_misses_total\{cache_type="listing"\} [1-9]/);
  }, 90_000);
});
