/**
 * Injection attempts in every free-text filter and sort parameter of the running service, on both search engines
 * (OpenSearch, and PostgreSQL full text as the embedded default and the fallback serve it): SQL metacharacters,
 * JSON-path expressions and OpenSearch query-string syntax. Each answer is a 400 problem or a 200 whose rows are
 * the public active listings the words really match (none here), never a 5xx, never a draft or a deleted
 * listing, and the tables are intact afterwards. Malformed values of every parameter (types, sizes, NUL) are swept
 * by test/integration/http/hostile-input.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const PAYLOADS = [
  // SQL
  "' OR '1'='1",
  "1' OR 1=1 --",
  "'; DROP TABLE listings; --",
  "%' --",
  "\\'",
  '1; SELECT pg_sleep(5)',
  '$$; SELECT 1 $$',
  "' UNION SELECT title FROM listings WHERE status='draft' --",
  // JSON path / JSON operators
  '$.title',
  '$..*',
  '$[?(@.user_id==8)]',
  '{"$ne":null}',
  'lax $.** ? (@ like_regex ".*")',
  // OpenSearch query-string syntax and query DSL
  '*',
  '*:*',
  'title:*',
  '_exists_:title',
  'status:draft',
  'user_id:8',
  'Tajna~',
  'Taj*',
  '/.*/',
  '(',
  '"unbalanced',
  'title:[* TO *]',
  '{"query":{"match_all":{}}}',
  '<script>alert(1)</script>',
];

const alias = `sec_inj_${randomBytes(4).toString('hex')}`;
let db: TestDatabase;
let categories: Record<string, number>;
let opensearch: ServiceUnderTest;
let postgres: ServiceUnderTest;
let owner: string;
let other: string;
const active: number[] = [];
const hidden: number[] = [];

async function create(token: string, title: string, publish: boolean): Promise<number> {
  const body = {
    title,
    price: 10,
    currency: 'RSD',
    category_id: categories.bicycles,
    quantity: 1,
    sku: `SKU-${title}`,
  };
  const created = await request(opensearch.base, 'POST', '/api/v1/listings', { token, body });
  expect(created.status, created.text).toBe(201);
  if (publish) {
    const published = await request(opensearch.base, 'POST', `/api/v1/listings/${created.json.id}/publish`, { token });
    expect(published.status, published.text).toBe(200);
  }
  return created.json.id as number;
}

beforeAll(async () => {
  ({ db, categories } = await seededDatabase('listings_sec_inj'));
  // The OpenSearch service's worker also keeps PostgreSQL's search table (SEARCH_FALLBACK=postgres), which the
  // second service, on the same database, searches.
  opensearch = await startServiceUnderTest(db.url as string, {
    SVETULISTINGS_OPENSEARCH_ADDRESSES: opensearchUrl(),
    SVETULISTINGS_OPENSEARCH_USERNAME: '',
    SVETULISTINGS_OPENSEARCH_INDEX: alias,
  });
  postgres = await startServiceUnderTest(db.url as string, {
    SVETULISTINGS_SEARCH_ENGINE: 'postgres',
    SVETULISTINGS_WORKER_ENABLED: 'false',
  });
  owner = await userToken('7');
  other = await userToken('8');
  active.push(await create(owner, 'Crvena bicikla', true), await create(owner, 'Plava bicikla', true));
  hidden.push(await create(other, 'Tajna skica', false));
  const removed = await create(other, 'Tajna obrisana', true);
  expect((await request(opensearch.base, 'DELETE', `/api/v1/listings/${removed}`, { token: other })).status).toBe(204);
  hidden.push(removed);
  for (const service of [opensearch, postgres]) {
    await eventually(async () => {
      const page = await request(service.base, 'GET', '/api/v1/listings/search?query=bicikla');
      expect(page.json.total).toBe(2);
    }, 30_000);
  }
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  await opensearch?.stop();
  await db?.dispose();
  const admin = new Client({ node: opensearchUrl() });
  await admin.indices.delete({ index: `${alias}_v*`, ignore_unavailable: true }).finally(() => admin.close());
});

type Rows = { listings?: { id: number; title?: string }[]; suggestions?: { id?: number; title?: string }[] };

/** 400 problem, or 200 with no row but the active ones; returns the ids answered. */
async function expectSafe(service: ServiceUnderTest, path: string): Promise<number[]> {
  const answer = await request(service.base, 'GET', path, { token: other });
  const label = `${path}: ${answer.status} ${answer.text.slice(0, 300)}`;
  expect([200, 400], label).toContain(answer.status);
  if (answer.status === 400) {
    expect(answer.headers.get('content-type'), label).toContain('application/problem+json');
    return [];
  }
  const body = answer.json as Rows;
  const ids = [...(body.listings ?? []), ...(body.suggestions ?? [])].map((row) => row.id).filter((id) => id);
  for (const id of ids) expect(hidden, label).not.toContain(id);
  // (The text may echo the caller's own payload, e.g. a facet key; the rows never carry a hidden title.)
  for (const row of [...(body.listings ?? []), ...(body.suggestions ?? [])])
    expect(JSON.stringify(row), label).not.toContain('Tajna');
  return ids as number[];
}

const q = encodeURIComponent;

describe.each([
  ['OpenSearch', () => opensearch],
  ['PostgreSQL full text', () => postgres],
])('search on %s', (_engine, service) => {
  it('finds nothing for an injection in the text query: no row at all, no error', async () => {
    for (const payload of PAYLOADS) {
      expect(await expectSafe(service(), `/api/v1/listings/search?query=${q(payload)}`), payload).toEqual([]);
      // Next to a real word, the payload may only narrow the match, never widen it to hidden rows.
      const withWord = await expectSafe(service(), `/api/v1/listings/search?query=${q(`bicikla ${payload}`)}`);
      for (const id of withWord) expect(active, payload).toContain(id);
    }
  });

  it('answers 400 or only public rows for injections in filters, sort, cursor and facet keys', async () => {
    for (const payload of PAYLOADS) {
      for (const parameter of ['currency', 'attribute', 'cursor', 'sort', 'facet_attribute_keys']) {
        const extra = parameter === 'facet_attribute_keys' ? '&facets=true' : '';
        const ids = await expectSafe(service(), `/api/v1/listings/search?${parameter}=${q(payload)}${extra}`);
        for (const id of ids) expect(active, `${parameter}=${payload}`).toContain(id);
      }
      expect(await expectSafe(service(), `/api/v1/listings/suggest?q=${q(payload)}`), payload).toEqual([]);
    }
  });
});

describe('other free-text parameters', () => {
  it('answers 400 or an empty page to injections in list cursors, storefront city and product SKUs', async () => {
    for (const payload of PAYLOADS) {
      expect(await expectSafe(opensearch, `/api/v1/listings?cursor=${q(payload)}`), payload).toEqual([]);
      const city = await request(opensearch.base, 'GET', `/api/v1/storefronts?city=${q(payload)}`);
      expect([200, 400], `city=${payload}: ${city.text}`).toContain(city.status);
      if (city.status === 200) expect(city.json.storefronts ?? city.json.data ?? [], payload).toEqual([]);
      const skus = await request(opensearch.base, 'GET', `/api/v1/products?skus=${q(payload)}`);
      expect([200, 400], `skus=${payload}: ${skus.text}`).toContain(skus.status);
      if (skus.status === 200) expect(skus.json.products, payload).toEqual([]);
    }
  });

  it('gRPC SearchListings: INVALID_ARGUMENT or no row, on both engines', async () => {
    for (const service of [opensearch, postgres]) {
      const client = service.grpc();
      for (const payload of PAYLOADS) {
        const answer = await client.searchListings({ query: payload, limit: 10, offset: 0 }).catch((e: unknown) => e);
        if (answer instanceof ListingsClientError) expect(answer.code, payload).toBe(GrpcStatus.INVALID_ARGUMENT);
        else expect((answer as { listings: unknown[] }).listings, payload).toEqual([]);
      }
    }
  });

  it('leaves every table and row as it was', async () => {
    const rows = await db.knex('listings').select('id', 'title', 'status', 'is_deleted').orderBy('id');
    expect(rows.map((row) => row.title)).toEqual(['Crvena bicikla', 'Plava bicikla', 'Tajna skica', 'Tajna obrisana']);
    expect(rows.map((row) => row.status)).toEqual(['active', 'active', 'draft', 'active']);
  });
});
