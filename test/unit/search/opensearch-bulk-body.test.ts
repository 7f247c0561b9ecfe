import { describe, expect, it } from 'vitest';
import { bulkBody, deleteActions, indexActions } from '../../../adapters/opensearch/opensearch-bulk.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { toSource } from '../../../src/search/search-document-source.ts';
import { sampleListing } from '../use-cases/sample-listing.ts';

describe('bulkBody', () => {
  it('is the NDJSON of the actions in UTF-8, each line newline-terminated, sized as the actions say', () => {
    const built = buildSearchDocument(sampleListing());
    if (built === null) throw new Error('the sample listing is searchable');
    const document = { ...built, title: 'Квартира на Врачару — ćevapi 🏠' };
    const actions = [
      ...indexActions('listings_write', [document]),
      ...deleteActions('listings_write', [{ id: 7, version: 3 }]),
    ];
    const expected = [
      JSON.stringify({
        index: {
          _index: 'listings_write',
          _id: String(document.id),
          version: document.version,
          version_type: 'external_gte',
        },
      }),
      JSON.stringify(toSource(document)),
      JSON.stringify({ delete: { _index: 'listings_write', _id: '7', version: 3, version_type: 'external_gte' } }),
      '',
    ].join('\n');
    const body = bulkBody(actions);
    expect(body.toString('utf8')).toBe(expected);
    expect(body.length).toBe(Buffer.byteLength(expected));
    expect(actions.reduce((sum, action) => sum + action.bytes, 0)).toBe(body.length);
  });
});
