import { describe, expect, it } from 'vitest';
import { mapC2cListing } from '../../../src/monolith-migration/mapping/c2c-listings.ts';
import { c2cListing, c2cRelated, context, expectMapped, expectRejected, monolithOf } from './mapping-support.ts';

const ctx = context();
const map = (overrides: Parameters<typeof c2cListing>[0], c = ctx) =>
  mapC2cListing(c2cListing(overrides), c2cRelated(), c);

describe('title (§3.14)', () => {
  it.each([
    ['TV', 1070, 'TV #1070'],
    ['', 1070, '#1070'],
    ['   ', 1070, '#1070'],
    ['', 5, 'Listing #5'],
    [' a ', 1, 'a #1'],
  ])('%j of listing %i is repaired to %j, status unchanged', (title, id, expected) => {
    const result = expectMapped(map({ id, title }));
    expect(result.row.listing.title).toBe(expected);
    expect(result.row.listing.status).toBe('active');
    expect(monolithOf(result.row.listing.attributes).repairs).toEqual([
      { code: 'TITLE_TOO_SHORT', field: 'title', raw: title },
    ]);
  });

  it('keeps a 3-character title and surrounding spaces verbatim', () => {
    expect(expectMapped(map({ title: ' abc ' })).row.listing.title).toBe(' abc ');
  });

  it('counts characters, not bytes: 255 Cyrillic letters are valid (and flagged as over 255 bytes)', () => {
    const result = expectMapped(map({ title: 'Ж'.repeat(255) }));
    expect(result.row.listing.title).toHaveLength(255);
    expect(result.notices.map((n) => n.code)).toEqual(['TITLE_OVER_255_BYTES']);
  });

  it('counts an emoji as one character, as PostgreSQL length() does', () => {
    expect(expectMapped(map({ title: '📺📺📺' })).row.listing.title).toBe('📺📺📺');
    expect(expectMapped(map({ title: '📺📺' })).row.listing.title).toBe('📺📺 #1070');
  });

  it('rejects instead with --reject title', () => {
    expect(expectRejected(map({ title: 'TV' }, context({ options: { rejectShortTitle: true } }))).code).toBe(
      'TITLE_TOO_SHORT',
    );
  });
});

describe('price (§3.4, §3.14)', () => {
  it('writes the price at scale 2', () => {
    expect(expectMapped(map({ price: '35000.5' })).row.listing.price).toBe('35000.50');
  });

  it.each([
    [null, 'PRICE_MISSING'],
    ['0.00', 'PRICE_NOT_POSITIVE'],
    ['-1.00', 'PRICE_NOT_POSITIVE'],
    ['0.001', 'PRICE_TOO_PRECISE'],
    ['NaN', 'PRICE_OUT_OF_RANGE'],
  ])('rejects price %j with %s', (price, code) => {
    expect(expectRejected(map({ price })).code).toBe(code);
  });

  it('uses --price-fallback for NULL and non-positive prices and forces draft (not published)', () => {
    const result = expectMapped(map({ price: '0.00' }, context({ options: { priceFallback: '100' } })));
    expect(result.row.listing).toMatchObject({ price: '100.00', status: 'draft', published_at: null });
    expect(monolithOf(result.row.listing.attributes).status_raw).toBe('active');
  });
});

describe('owner and category (§3.4)', () => {
  it.each([null, 0, -3])('rejects user_id %j with OWNER_MISSING', (user_id) => {
    expect(expectRejected(map({ user_id })).code).toBe('OWNER_MISSING');
  });

  it('uses --owner-fallback and forces draft', () => {
    const listing = expectMapped(map({ user_id: null }, context({ options: { ownerFallback: 99 } }))).row.listing;
    expect(listing).toMatchObject({ user_id: 99, status: 'draft' });
  });

  it.each([null, 999])('rejects category %j with CATEGORY_MISSING', (category_id) => {
    expect(expectRejected(map({ category_id })).code).toBe('CATEGORY_MISSING');
  });

  it('uses --category-fallback and forces draft', () => {
    const listing = expectMapped(map({ category_id: 999 }, context({ options: { categoryFallback: 11 } }))).row.listing;
    expect(listing).toMatchObject({ category_id: 11, status: 'draft' });
  });
});

describe('currency (§3.4)', () => {
  it('keeps RSD for an invalid metadata currency and reports it, but says nothing for a blank one', () => {
    const invalid = expectMapped(map({ metadata: '{"currency": "dinar"}' }));
    expect(invalid.row.listing.currency).toBe('RSD');
    expect(invalid.repairs).toEqual([{ code: 'CURRENCY_INVALID', field: 'currency', raw: 'dinar' }]);
    const blank = expectMapped(map({ metadata: '{"currency": "  "}' }));
    expect(blank.repairs).toEqual([]);
  });

  it("reads a non-string currency as PostgreSQL's ->> does (JSON text)", () => {
    expect(expectMapped(map({ metadata: '{"currency": 978}' })).row.listing.currency).toBe('RSD');
  });
});

describe('storefront of a C2C listing (Q8)', () => {
  it('is not written (the target CHECK allows storefront_id only for b2c) and is kept raw', () => {
    const result = expectMapped(map({ storefront_id: 43 }));
    expect(result.row.listing.storefront_id).toBeNull();
    expect(monolithOf(result.row.listing.attributes).storefront_id_raw).toBe(43);
  });
});

describe('missing timestamps (§3.4)', () => {
  it('created_at NULL → updated_at; updated_at NULL → created_at; both NULL → the run time', () => {
    expect(expectMapped(map({ created_at: null })).row.listing.created_at).toBe('2025-10-21T08:00:00.000000Z');
    expect(expectMapped(map({ updated_at: null })).row.listing.updated_at).toBe('2025-10-20T17:38:47.121733Z');
    const both = expectMapped(map({ created_at: null, updated_at: null })).row.listing;
    expect([both.created_at, both.updated_at]).toEqual(['2026-11-25T12:00:00.000000Z', '2026-11-25T12:00:00.000000Z']);
  });

  it('does not let the run time into the hash (a rerun keeps the hash)', () => {
    const a = expectMapped(map({ created_at: null, updated_at: null }));
    const b = expectMapped(
      mapC2cListing(c2cListing({ created_at: null, updated_at: null }), c2cRelated(), {
        ...ctx,
        runTime: '2027-01-01T00:00:00.000000Z',
      }),
    );
    expect(b.hash).toBe(a.hash);
  });
});

describe('coordinates (Q14)', () => {
  it('stores out-of-range coordinates verbatim and flags them', () => {
    const result = expectMapped(map({ latitude: '95.50000000', longitude: '200.00000000' }));
    expect(result.row.location).toMatchObject({ latitude: '95.50000000', longitude: '200.00000000' });
    expect(result.notices.map((n) => n.code)).toEqual(['COORDINATES_OUT_OF_RANGE']);
  });
});
