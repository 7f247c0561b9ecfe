import { randomBytes } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSearchSearchIndex } from '../../../adapters/opensearch/opensearch-search-index.ts';
import { minorUnits } from '../../../src/domain/money.ts';
import { describeSearchIndexContract } from '../../contracts/search-index.contract.ts';
import { opensearchUrl } from '../../support/servers.ts';
import { searchDocument } from './search-fixtures.ts';

// The OpenSearch search index on the real OpenSearch 2.19, under an alias of its own; its indices are deleted after.
const alias = `search_contract_${randomBytes(4).toString('hex')}`;
let admin: Client;

beforeAll(() => {
  admin = new Client({ node: opensearchUrl() });
});

afterAll(async () => {
  await admin?.indices.delete({ index: `${alias}*`, ignore_unavailable: true });
  await admin?.close();
});

async function dropAll(prefix: string): Promise<void> {
  await admin.indices.delete({ index: `${prefix}_v*`, ignore_unavailable: true });
}

describeSearchIndexContract('OpenSearch', async () => {
  const index = new OpenSearchSearchIndex({ addresses: [opensearchUrl()], alias, replicas: 0 });
  return {
    index,
    async reset() {
      await dropAll(alias);
      await index.ensureIndex();
    },
    dispose: () => index.close(),
  };
});

describe('OpenSearch index layout', () => {
  const own = `${alias}_layout`;
  let index: OpenSearchSearchIndex;

  beforeAll(() => {
    index = new OpenSearchSearchIndex({ addresses: [opensearchUrl()], alias: own, replicas: 0 });
    return async () => {
      await dropAll(own);
      await index.close();
    };
  });

  it('creates <alias>_v1 with read and write aliases, a strict mapping and the Russian and Serbian analyzers', async () => {
    expect(await index.ensureIndex()).toEqual({ name: `${own}_v1`, created: true });
    const { body: aliases } = await admin.indices.getAlias({ index: `${own}_v1` });
    expect(aliases[`${own}_v1`]?.aliases).toEqual({ [own]: {}, [`${own}_write`]: { is_write_index: true } });
    const { body: mapping } = await admin.indices.getMapping({ index: `${own}_v1` });
    const mappings = mapping[`${own}_v1`]?.mappings as Record<string, unknown>;
    expect(mappings.dynamic).toBe('strict');
    const analyze = async (analyzer: string, text: string) =>
      ((await admin.indices.analyze({ index: `${own}_v1`, body: { analyzer, text } })).body.tokens ?? []).map(
        (token: { token: string }) => token.token,
      );
    expect(await analyze('listing_serbian', 'Станови у Београду')).toEqual(['stanov', 'beograd']);
    expect(await analyze('russian', 'квартиры в центре')).toEqual(['квартир', 'центр']);
    expect(await analyze('listing_autocomplete', 'Kuća')).toEqual(['ku', 'kuc', 'kuca']);
  });

  it('refuses fields the mapping does not name and keeps the price exact in minor units', async () => {
    await index.ensureIndex();
    const put = admin.index({ index: `${own}_write`, id: '99', body: { id: 99, surprise: true } });
    await expect(put).rejects.toThrow(/strict_dynamic_mapping_exception/);
    await index.upsert([searchDocument(1, { price: minorUnits(10_01) })]);
    await index.refresh();
    const found = await index.search({
      text: '',
      filters: { price: { min: minorUnits(10_01), max: minorUnits(10_01) } },
      sort: 'price_asc',
      limit: 10,
    });
    expect(found.hits.map((hit) => hit.id)).toEqual([1]);
  });

  it('stores every image size in the document, without mapping them', async () => {
    await index.ensureIndex();
    await index.upsert([searchDocument(2)]);
    const stored = await admin.get({ index: own, id: '2' });
    const images = (stored.body._source as { images: { thumbnails: Record<string, string> }[] }).images;
    expect(images[0]?.thumbnails).toEqual({
      small: 'https://img.example/2/1-small.webp',
      medium: 'https://img.example/2/1-medium.webp',
    });
  });

  it('never writes through a missing alias (no index is auto-created with dynamic mappings)', async () => {
    const stray = new OpenSearchSearchIndex({ addresses: [opensearchUrl()], alias: `${own}_missing` });
    try {
      const [result] = await stray.upsert([searchDocument(1)]);
      expect(result?.status).toBe('retryable');
      expect((await admin.indices.exists({ index: `${own}_missing_write` })).body).toBe(false);
      await expect(stray.search({ text: '', filters: {}, sort: 'relevance', limit: 1 })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
    } finally {
      await stray.close();
    }
  });

  it('answers DEPENDENCY_UNAVAILABLE when OpenSearch cannot be reached, and items are retryable', async () => {
    const down = new OpenSearchSearchIndex({ addresses: ['http://127.0.0.1:1'], alias: own, requestTimeoutMs: 2000 });
    try {
      await expect(down.search({ text: '', filters: {}, sort: 'relevance', limit: 1 })).rejects.toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
      });
      expect((await down.upsert([searchDocument(1)]))[0]?.status).toBe('retryable');
    } finally {
      await down.close();
    }
  });
});
