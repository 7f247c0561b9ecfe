import { afterEach, describe, expect, it, vi } from 'vitest';
import { bulkBody, indexActions } from '../../../adapters/opensearch/opensearch-bulk.ts';
import { documentHash, documentJson, documentProblem, documentRow } from '../../../adapters/pgsearch/pg-search-rows.ts';
import type { SearchDocument } from '../../../ports/search-index.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { fromSource } from '../../../src/search/search-document-reader.ts';
import { sourceJsons, toSource } from '../../../src/search/search-document-source.ts';
import { sampleListing } from '../use-cases/sample-listing.ts';

// The mirror stores and hashes the text OpenSearch indexes, so a worker writing both serialises a document once.
describe('documentJson', () => {
  const built = buildSearchDocument(sampleListing());
  if (built === null) throw new Error('the sample listing is searchable');
  const document = { ...built, publishedAt: new Date('2026-03-04T05:06:07.089Z'), title: 'Стан на Врачару 🏠' };

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is the `_source` line of the document in the OpenSearch bulk body, byte for byte', () => {
    const json = documentJson(document);
    expect(json).toBe(JSON.stringify(toSource(document)));
    const lines = bulkBody(indexActions('listings_write', [document]))
      .toString('utf8')
      .split('\n');
    expect(lines[1]).toBe(json);
  });

  it('reads back as the document', () => {
    expect(fromSource(JSON.parse(documentJson(document)))).toEqual(document);
    const unpublished = { ...document, publishedAt: null };
    expect(fromSource(JSON.parse(documentJson(unpublished)))).toEqual(unpublished);
  });

  it('serialises an array of documents once for both engines', () => {
    const batch = [{ ...document }, { ...document, id: 2 }];
    // Each serialisation writes the three dates.
    const dates = vi.spyOn(Date.prototype, 'toISOString');
    const serialisations = () => dates.mock.calls.length / 3;
    const lines = bulkBody(indexActions('listings_write', batch)).toString('utf8').split('\n');
    expect(serialisations()).toBe(2);
    const texts = sourceJsons(batch);
    expect(serialisations()).toBe(2);
    const text = (i: number) => texts[i]?.toString('utf8') as string;
    expect([text(0), text(1)]).toEqual([lines[1], lines[3]]);
    expect(documentHash(texts[1] as Buffer)).toBe(documentHash(text(1)));
    expect(documentRow(batch[1] as SearchDocument, text(1))).toContain(text(1));
  });

  it('serialises again when the array changed in between', () => {
    const batch = [{ ...document }];
    const first = sourceJsons(batch);
    batch[0] = { ...document, title: 'другой' };
    expect(sourceJsons(batch).map((text) => text?.toString('utf8'))).toEqual([documentJson(batch[0])]);
    expect(sourceJsons(batch)).not.toEqual(first);
  });

  it('refuses a document that cannot be serialised (an invalid date) instead of throwing', () => {
    const problem = (changes: Partial<SearchDocument>) => {
      const broken = { ...document, ...changes };
      return documentProblem(broken, sourceJsons([broken])[0] ?? null);
    };
    expect(problem({ createdAt: new Date(Number.NaN) })).toBe('created_at is not a valid date');
    expect(problem({ updatedAt: new Date(Number.NaN) })).toBe('updated_at is not a valid date');
    expect(problem({ publishedAt: new Date(Number.NaN) })).toBe('published_at is not a valid date');
    expect(problem({})).toBeNull();
  });
});
