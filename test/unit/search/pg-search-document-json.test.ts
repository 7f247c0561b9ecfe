import { describe, expect, it } from 'vitest';
import { documentHash, documentJson } from '../../../adapters/pgsearch/pg-search-rows.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { sampleListing } from '../use-cases/sample-listing.ts';

// The mirror compares the hash of this text with the hash stored by earlier writes: it must not change by a byte.
describe('documentJson', () => {
  const document = buildSearchDocument(sampleListing());
  if (document === null) throw new Error('the sample listing is searchable');

  it('writes what JSON.stringify writes, dates included', () => {
    const published = { ...document, publishedAt: new Date('2026-03-04T05:06:07.089Z') };
    expect(documentJson(published)).toBe(JSON.stringify(published));
    expect(documentJson(published)).toContain('"publishedAt":"2026-03-04T05:06:07.089Z"');
    expect(documentHash(documentJson(published))).toBe(documentHash(JSON.stringify(published)));
  });

  it('keeps the key order and a null publication date', () => {
    const unpublished = { ...document, publishedAt: null };
    expect(documentJson(unpublished)).toBe(JSON.stringify(unpublished));
    expect(Object.keys(JSON.parse(documentJson(unpublished)))).toEqual(Object.keys(unpublished));
  });

  it('writes an invalid date as null, as Date#toJSON does', () => {
    const broken = { ...document, createdAt: new Date(Number.NaN) };
    expect(documentJson(broken)).toBe(JSON.stringify(broken));
    expect(JSON.parse(documentJson(broken)).createdAt).toBeNull();
  });
});
