import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensearchUrl } from '../../support/servers.ts';

// Proves the server behind LISTINGS_TEST_OPENSEARCH_URL is a real OpenSearch 2.19 with the
// modules the project needs: analysis-common (language analyzers, edge n-grams),
// mapper-extras (scaled_float, search_as_you_type) and lang-painless.
const prefix = `servers-test-${randomUUID().slice(0, 8)}`;
let client: Client;

beforeAll(() => {
  client = new Client({ node: opensearchUrl() });
});

afterAll(async () => {
  await client?.indices.delete({ index: `${prefix}-*`, ignore_unavailable: true });
  await client?.close();
});

async function tokens(text: string, analyzer: string, index?: string): Promise<string[]> {
  const { body } = await client.indices.analyze({ index, body: { analyzer, text } });
  return (body.tokens ?? []).map((token: { token: string }) => token.token);
}

describe('OpenSearch server', () => {
  it('is OpenSearch 2.19.x', async () => {
    const { body } = await client.info();
    expect(body.version.distribution).toBe('opensearch');
    expect(body.version.number).toMatch(/^2\.19\.\d+$/);
  });

  it('has the russian analyzer: drops the stop word and stems', async () => {
    expect(await tokens('квартиры в центре', 'russian')).toEqual(['квартир', 'центр']);
  });

  it('accepts scaled_float, geo_point, search_as_you_type and an edge_ngram tokenizer, and searches them', async () => {
    const index = `${prefix}-listings`;
    await client.indices.create({
      index,
      body: {
        settings: {
          number_of_replicas: 0,
          analysis: {
            tokenizer: {
              autocomplete: { type: 'edge_ngram', min_gram: 2, max_gram: 10, token_chars: ['letter', 'digit'] },
            },
            analyzer: { autocomplete: { type: 'custom', tokenizer: 'autocomplete', filter: ['lowercase'] } },
          },
        },
        mappings: {
          properties: {
            title: { type: 'search_as_you_type', analyzer: 'russian' },
            title_prefix: { type: 'text', analyzer: 'autocomplete', search_analyzer: 'standard' },
            price: { type: 'scaled_float', scaling_factor: 100 },
            location: { type: 'geo_point' },
          },
        },
      },
    });
    await client.index({
      index,
      id: '1',
      refresh: true,
      body: {
        title: 'Квартира в центре Москвы',
        title_prefix: 'Квартира',
        price: 12345.678,
        location: { lat: 55.7558, lon: 37.6173 },
      },
    });

    expect(await tokens('Квартира', 'autocomplete', index)).toEqual([
      'кв',
      'ква',
      'квар',
      'кварт',
      'кварти',
      'квартир',
      'квартира',
    ]);

    const { body } = await client.search({
      index,
      body: {
        query: {
          bool: {
            must: [
              {
                multi_match: { query: 'кварт', type: 'bool_prefix', fields: ['title', 'title._2gram', 'title._3gram'] },
              },
              { match: { title_prefix: 'кварт' } },
            ],
            filter: [
              { range: { price: { gte: 12345.67, lte: 12345.69 } } },
              { geo_distance: { distance: '5km', location: { lat: 55.75, lon: 37.62 } } },
            ],
          },
        },
        docvalue_fields: ['price'],
      },
    });
    const total = body.hits.total;
    expect(typeof total === 'number' ? total : total?.value).toBe(1);
    // scaled_float stores the value rounded to the scaling factor: 12345.678 -> 12345.68.
    expect(body.hits.hits[0]?.fields?.price).toEqual([12345.68]);
  });

  it('analyzes Serbian in both scripts (2.19 has no prebuilt `serbian`: the index defines one)', async () => {
    // Lucene's SerbianAnalyzer is not exposed by OpenSearch 2.19's analysis-common, which ships the
    // serbian_normalization filter and the Serbian snowball stemmer: an index builds `serbian` from them.
    await expect(tokens('stanovi', 'serbian')).rejects.toThrow(/serbian/);
    const index = `${prefix}-serbian`;
    // Plain request: the client's typings list no Serbian snowball language, the server has it.
    await client.transport.request({
      method: 'PUT',
      path: `/${index}`,
      body: {
        settings: {
          number_of_replicas: 0,
          analysis: {
            filter: {
              serbian_stop: { type: 'stop', stopwords: ['i', 'u', 'na', 'je', 'za', 'se', 'da', 'od'] },
              serbian_stemmer: { type: 'snowball', language: 'Serbian' },
            },
            analyzer: {
              serbian: {
                type: 'custom',
                tokenizer: 'standard',
                filter: ['lowercase', 'serbian_normalization', 'serbian_stop', 'serbian_stemmer'],
              },
            },
          },
        },
      },
    });
    expect(await tokens('Станови у Београду', 'serbian', index)).toEqual(['stanov', 'beograd']);
    expect(await tokens('Prodaja kuća i stanova', 'serbian', index)).toEqual(['prodaj', 'kuc', 'stanov']);
  });

  it('runs painless scripts', async () => {
    const { body } = await client.transport.request({
      method: 'POST',
      path: '/_scripts/painless/_execute',
      body: { script: { source: 'params.a * params.b', params: { a: 6, b: 7 } } },
    });
    expect(body.result).toBe('42');
  });
});
