import { describe, expect, it } from 'vitest';
import { decodeListing, encodeListing } from '../../../src/listings/listing-codec.ts';
import { sampleListing } from './sample-listing.ts';

describe('listing codec', () => {
  it('round-trips a listing with every side row, dates revived field by field', () => {
    const listing = sampleListing();
    const decoded = decodeListing(encodeListing(listing));
    expect(decoded).toEqual(listing);
    expect(decoded?.images[0]?.createdAt).toBeInstanceOf(Date);
    expect(decoded?.location?.updatedAt).toBeInstanceOf(Date);
  });

  it("leaves a user's attribute values alone even when they look like dates", () => {
    const decoded = decodeListing(encodeListing(sampleListing()));
    expect(decoded?.attributes.updatedAt).toBe('2025-01-01T00:00:00Z');
  });

  it('keeps nulls (no location, never published)', () => {
    const listing = sampleListing({ location: null, publishedAt: null, status: 'draft' });
    expect(decodeListing(encodeListing(listing))).toEqual(listing);
  });

  it('reads anything else as undefined (a cache miss)', () => {
    for (const text of ['', '-', 'null', '[]', '{"id":1}', '{"id":1,"version":1,"createdAt":"x"}', '{bad']) {
      expect(decodeListing(text)).toBeUndefined();
    }
  });
});
