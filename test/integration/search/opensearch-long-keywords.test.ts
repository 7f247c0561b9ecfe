import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { opensearchUrl } from '../../support/servers.ts';
import { openSearchEngine, openWorkerWorld, type WorkerWorld } from '../worker/worker-fixture.ts';

// Lucene refuses a keyword term (and a keyword's doc value) over 32,766 bytes, and a refused field refuses the whole
// document: without `ignore_above` (or no doc values) on every keyword field fed by an unbounded column, one long
// attribute value or image URL dead-lettered its listing, which then could not be found at all. The worker, on real
// PostgreSQL 15 and OpenSearch 2.19, must index such a listing like any other.
let t: WorkerWorld;
let alias: string;

beforeAll(async () => {
  const engine = openSearchEngine('long_keywords');
  alias = engine.alias;
  t = await openWorkerWorld({ name: 'opensearch', open: () => engine });
});
afterAll(async () => {
  await t?.dispose();
});

it('indexes a listing whose attribute key, attribute value and image URLs exceed the term limit, and finds it', async () => {
  const listing = await t.world.newListingWithStatus('active', { title: 'Antique wall clock' });
  // Past the API's validation, as a monolith import or a product's JSONB can write them. Cyrillic, so the values
  // are 2 bytes a character: 20,000 characters are 40,000 bytes.
  const longValue = 'я'.repeat(20_000);
  const longKey = `k${'ключ'.repeat(5_000)}`;
  const longUrl = `https://img.example/${'a'.repeat(40_000)}.jpg`;
  await t.world.knex('listing_attributes').insert([
    { listing_id: listing.id, attribute_key: 'notes', attribute_value: longValue },
    { listing_id: listing.id, attribute_key: 'color', attribute_value: 'walnut' },
  ]);
  await t.world
    .knex('listings')
    .where({ id: listing.id })
    .update({ attributes: JSON.stringify({ [longKey]: 'x' }) });
  await t.world
    .knex('listing_images')
    .insert({ listing_id: listing.id, url: longUrl, thumbnail_url: longUrl, is_primary: true });
  await t.repos.outbox.enqueue([{ listingId: listing.id, version: listing.version, operation: 'update' }]);

  const report = await t.worker().drain({ until: 'empty' });

  expect(report).toMatchObject({ dead: 0 });
  expect(await t.repos.outbox.deadLetters({ limit: 10 })).toEqual([]);
  await t.index.refresh();
  const byText = await t.index.search({ text: 'clock', filters: {}, sort: 'relevance', limit: 10 });
  expect(byText.hits.map((hit) => hit.id)).toEqual([listing.id]);
  // Its short attributes still filter and facet; the long ones are kept in the document, only not as exact terms.
  const byAttribute = await t.index.search({
    text: '',
    filters: { attributes: [{ key: 'color', value: 'walnut' }] },
    sort: 'created_at_desc',
    limit: 10,
    facets: { attributeKeys: ['color', 'notes'] },
  });
  expect(byAttribute.hits.map((hit) => hit.id)).toEqual([listing.id]);
  expect(byAttribute.facets?.attributes).toEqual({ color: [{ value: 'walnut', count: 1 }], notes: [] });
  const admin = new Client({ node: opensearchUrl() });
  try {
    const { body } = await admin.get({ index: alias, id: String(listing.id) });
    const source = body._source as { attributes: { key: string; value: string }[]; images: { url: string }[] };
    expect(source.attributes).toContainEqual({ key: 'notes', value: longValue });
    expect(source.attributes).toContainEqual({ key: longKey, value: 'x' });
    expect(source.images[0]?.url).toBe(longUrl);
  } finally {
    await admin.close();
  }
});
