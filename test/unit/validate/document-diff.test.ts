import { describe, expect, it } from 'vitest';
import { differingFields } from '../../../src/validate/document-diff.ts';
import { searchDocument } from '../../integration/search/search-fixtures.ts';

describe('differingFields', () => {
  it('finds nothing between a document and its JSON round trip (dates revived, object keys reordered)', () => {
    const document = searchDocument(3, {
      attributes: [{ key: 'color', value: 'red' }],
      location: { lat: 44.8, lon: 20.4 },
      publishedAt: new Date('2026-02-01T00:00:00.001Z'),
    });
    const json = JSON.parse(JSON.stringify(document));
    const reordered = {
      ...json,
      images: json.images.map((image: Record<string, unknown>) => Object.fromEntries(Object.entries(image).reverse())),
      createdAt: new Date(json.createdAt),
      updatedAt: new Date(json.updatedAt),
      publishedAt: new Date(json.publishedAt),
    };
    expect(differingFields(reordered, document)).toEqual([]);
  });

  it('names each field that differs: scalars, dates, nested lists and objects, null against a value', () => {
    const document = searchDocument(4, { tags: ['a', 'b'], location: { lat: 1, lon: 2 } });
    const changed = {
      ...document,
      title: 'Other',
      updatedAt: new Date(document.updatedAt.getTime() + 1),
      tags: ['b', 'a'],
      location: null,
      images: [{ ...document.images[0]!, thumbnails: { small: 'elsewhere' } }],
      sku: 'X',
    };
    expect(differingFields(changed, document)).toEqual(['title', 'sku', 'tags', 'location', 'images', 'updatedAt']);
  });
});
