/**
 * OpenSearch unreachable (connections refused: a TCP proxy in front of the real server goes down) under the running
 * service with SEARCH_FALLBACK=none, so the engine's failure reaches the edges: REST search answers 503
 * problem+json, gRPC SearchListings UNAVAILABLE; writes still succeed and their indexing jobs stay queued (pending,
 * never dead) until OpenSearch answers again, when the worker indexes them and searches find them. The default
 * fallback (answering from PostgreSQL) is covered by test/integration/search/search-failover.test.ts and the
 * engine header tests.
 */
import { randomBytes } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ListingsClientError } from '../../adapters/grpc/client/index.ts';
import type { TestDatabase } from '../support/databases.ts';
import { opensearchUrl } from '../support/servers.ts';
import {
  eventually,
  request,
  type ServiceUnderTest,
  seededDatabase,
  startServiceUnderTest,
  userToken,
} from '../support/service-under-test.ts';
import { TcpOutage } from '../support/tcp-outage.ts';
import { adminQuery } from './support/admin-sql.ts';

const outage = new TcpOutage(opensearchUrl());
const alias = `fault_os_${randomBytes(4).toString('hex')}`;
let db: TestDatabase;
let categories: Record<string, number>;
let service: ServiceUnderTest;
let owner: string;

beforeAll(async () => {
  await outage.up();
  ({ db, categories } = await seededDatabase('listings_fault_os'));
  service = await startServiceUnderTest(db.url as string, {
    SVETULISTINGS_OPENSEARCH_ADDRESSES: `http://127.0.0.1:${outage.port}`,
    SVETULISTINGS_OPENSEARCH_USERNAME: '',
    SVETULISTINGS_OPENSEARCH_INDEX: alias,
    SVETULISTINGS_SEARCH_FALLBACK: 'none',
  });
  owner = await userToken('7');
});
afterAll(async () => {
  await outage.down();
  await service?.stop();
  await db?.dispose();
  const admin = new Client({ node: opensearchUrl() });
  await admin.indices.delete({ index: `${alias}_v*`, ignore_unavailable: true }).finally(() => admin.close());
});

async function publishedListing(title: string): Promise<number> {
  const body = { title, price: 10, currency: 'RSD', category_id: categories.bicycles, quantity: 1 };
  const created = await request(service.base, 'POST', '/api/v1/listings', { token: owner, body });
  expect(created.status, created.text).toBe(201);
  const published = await request(service.base, 'POST', `/api/v1/listings/${created.json.id}/publish`, {
    token: owner,
  });
  expect(published.status, published.text).toBe(200);
  return created.json.id as number;
}

async function queueByStatus(): Promise<Record<string, number>> {
  const rows = await adminQuery<{ status: string; n: string }>(
    'SELECT status, count(*) AS n FROM indexing_queue GROUP BY status',
    [],
    db.url,
  );
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

async function searchIds(query: string): Promise<number[]> {
  const answer = await request(service.base, 'GET', `/api/v1/listings/search?query=${encodeURIComponent(query)}`);
  expect(answer.status, answer.text).toBe(200);
  return (answer.json.listings as { id: number }[]).map((listing) => listing.id);
}

it('fails searches with 503 / UNAVAILABLE, keeps indexing jobs queued, and catches up once OpenSearch is back', async () => {
  const before = await publishedListing('Velosiped before outage');
  await eventually(async () => expect(await searchIds('velosiped')).toEqual([before]), 30_000);

  await outage.down();
  // Another query than before: a cached answer would not ask the engine.
  const rest = await request(service.base, 'GET', '/api/v1/listings/search?query=outage');
  expect(rest.status, rest.text).toBe(503);
  expect(rest.headers.get('content-type')).toContain('application/problem+json');
  expect(rest.json.code).toBe('DEPENDENCY_UNAVAILABLE');
  // No stack trace, and no internal address: the detail names the failure (ConnectionError ECONNREFUSED).
  expect(rest.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(rest.text).not.toContain(`127.0.0.1:${outage.port}`);
  expect(rest.json.detail).toMatch(/ECONNREFUSED/);
  const grpc = await service
    .grpc()
    .searchListings({ query: 'outage', limit: 10, offset: 0 })
    .catch((error: unknown) => error);
  expect(grpc).toBeInstanceOf(ListingsClientError);
  expect((grpc as ListingsClientError).code).toBe(GrpcStatus.UNAVAILABLE);

  // Writes go on; their jobs wait in the outbox.
  const during = await publishedListing('Velosiped during outage');
  // The worker tried, found the engine down and paused its claims (its breaker then probes every 2 s, doubling):
  // the outage ends right after, so the catch-up below waits for the first probes, not for a doubled minute.
  await eventually(async () => expect(service.logLines.join('\n')).toContain('claims paused'), 20_000);
  const queued = await queueByStatus();
  expect(queued.dead ?? 0).toBe(0);
  expect((queued.pending ?? 0) + (queued.processing ?? 0) + (queued.failed ?? 0)).toBeGreaterThan(0);

  await outage.up();
  await eventually(async () => {
    const found = new Set(await searchIds('velosiped outage'));
    expect(found, JSON.stringify(await queueByStatus())).toEqual(new Set([before, during]));
  }, 60_000);
  expect(service.logLines.join('\n')).toContain('claims resume');
  const after = await queueByStatus();
  expect(after.dead ?? 0).toBe(0);
  expect(after.pending ?? 0).toBe(0);
});
