import { describe, expect, it } from 'vitest';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { sampleListing } from '../use-cases/sample-listing.ts';

describe('buildSearchDocument', () => {
  it('builds one document shape from a searchable listing and its side rows', () => {
    const document = buildSearchDocument(sampleListing());
    expect(document).toMatchObject({
      id: 42,
      version: 4,
      title: 'Bicycle',
      price: 1999,
      currency: 'RSD',
      categoryId: 3,
      status: 'active',
      visibility: 'public',
      sourceType: 'c2c',
      tags: ['bike'],
      location: { lat: 45.25, lon: 19.84 },
      city: 'Novi Sad',
      country: 'RS',
      images: [{ url: 'https://img/1.jpg', thumbnailUrl: null, thumbnails: {}, isPrimary: true, displayOrder: 0 }],
    });
    // Side-table rows and the JSONB map, flattened to text and sorted by key (flaw #5).
    expect(document?.attributes).toEqual([
      { key: 'brand', value: 'Rog' },
      { key: 'color', value: 'red' },
      { key: 'size', value: '3' },
      { key: 'updatedAt', value: '2025-01-01T00:00:00Z' },
    ]);
  });

  it.each([
    ['a draft', { status: 'draft' }],
    ['an inactive listing', { status: 'inactive' }],
    ['a private listing', { visibility: 'private' }],
    ['an unlisted listing', { visibility: 'unlisted' }],
    ['a deleted listing', { isDeleted: true, deletedAt: new Date() }],
  ] as const)('builds nothing for %s (the caller removes it)', (_, overrides) => {
    expect(buildSearchDocument(sampleListing(overrides))).toBeNull();
  });

  it('prefers the side row value of an attribute and drops null values', () => {
    const at = new Date();
    const document = buildSearchDocument(
      sampleListing({
        attributes: { brand: 'Json', empty: null },
        attributeEntries: [
          { id: 1, listingId: 42, key: 'brand', value: 'Row', createdAt: at },
          { id: 2, listingId: 42, key: 'none', value: null, createdAt: at },
        ],
      }),
    );
    expect(document?.attributes).toEqual([{ key: 'brand', value: 'Row' }]);
  });

  it('indexes a product’s own coordinates, 0.0 included (flaw #7)', () => {
    const document = buildSearchDocument(
      sampleListing({ hasIndividualLocation: true, individualLatitude: 0, individualLongitude: 0 }),
    );
    expect(document?.location).toEqual({ lat: 0, lon: 0 });
  });

  it('leaves out a point outside the globe (monolith Q14) and keeps the rest of the document', () => {
    const outside = [
      { individualLatitude: 99.999_999_99, individualLongitude: 20.4 },
      { individualLatitude: 44.8, individualLongitude: -999.999_999_99 },
    ];
    for (const point of outside) {
      const document = buildSearchDocument(sampleListing({ hasIndividualLocation: true, ...point }));
      expect(document).not.toBeNull();
      expect(document?.location).toBeNull();
    }
    const edge = buildSearchDocument(
      sampleListing({ hasIndividualLocation: true, individualLatitude: -90, individualLongitude: 180 }),
    );
    expect(edge?.location).toEqual({ lat: -90, lon: 180 });
  });

  it('honours location privacy: exact as is, approximate rounded to 2 decimals, hidden none', () => {
    const at = (privacy: 'exact' | 'approximate' | 'hidden') =>
      buildSearchDocument(
        sampleListing({
          locationPrivacy: privacy,
          hasIndividualLocation: true,
          individualLatitude: 44.786_612,
          individualLongitude: 20.448_921,
        }),
      )?.location;
    expect(at('exact')).toEqual({ lat: 44.786_612, lon: 20.448_921 });
    expect(at('approximate')).toEqual({ lat: 44.79, lon: 20.45 });
    expect(at('hidden')).toBeNull();
    expect(buildSearchDocument(sampleListing({ location: null }))?.location).toBeNull();
  });
});
