import { describe, expect, it } from 'vitest';
import { mapC2cListing } from '../../../src/monolith-migration/mapping/c2c-listings.ts';
import {
  attributeValue,
  c2cListing,
  c2cRelated,
  context,
  expectMapped,
  expectRejected,
  geoRow,
  monolithOf,
  noticeCodes,
  repairCodes,
} from './mapping-support.ts';

const ctx = context();

function listingOf(row = c2cListing(), related = c2cRelated(), c = ctx) {
  return expectMapped(mapC2cListing(row, related, c)).row.listing;
}

describe('c2c_listings → listings (§3.4)', () => {
  it('keeps the id, derives the reference UUID, and sets the C2C constants', () => {
    const listing = listingOf();
    expect(listing).toMatchObject({
      id: 1070,
      uuid: '87eae189-69ae-5b3a-9658-edc674afeca8',
      source_type: 'c2c',
      user_id: 5,
      category_id: 10,
      visibility: 'public',
      quantity: 1,
      sku: null,
      sold_count: 0,
      stock_status: 'in_stock',
      has_individual_location: false,
      individual_address: null,
      is_deleted: false,
      deleted_at: null,
    });
  });

  it('copies title, description (emoji, Cyrillic) and price verbatim', () => {
    const listing = listingOf();
    expect(listing.title).toBe('Телевизор Samsung 55"');
    expect(listing.description).toBe('Očuvan, 📺 radi odlično');
    expect(listing.price).toBe('35000.00');
  });

  it('writes naive times as UTC from the source zone, microseconds kept', () => {
    const listing = listingOf(c2cListing(), c2cRelated(), context({ sourceZone: 'Europe/Belgrade' }));
    expect(listing.created_at).toBe('2025-10-20T15:38:47.121733Z');
    expect(listing.updated_at).toBe('2025-10-21T06:00:00.000000Z');
  });

  it('sets published_at = created_at for active listings only', () => {
    expect(listingOf().published_at).toBe('2025-10-20T17:38:47.121733Z');
    expect(listingOf(c2cListing({ status: 'inactive' })).published_at).toBeNull();
  });

  it('soft-deletes source status deleted: archived, deleted_at = updated_at', () => {
    const listing = listingOf(c2cListing({ status: 'deleted' }));
    expect(listing).toMatchObject({ status: 'archived', is_deleted: true, deleted_at: '2025-10-21T08:00:00.000000Z' });
  });

  it('keeps an unknown status raw in _monolith.status_raw and maps it to draft', () => {
    const result = expectMapped(mapC2cListing(c2cListing({ status: 'Published' }), c2cRelated(), ctx));
    expect(result.row.listing.status).toBe('draft');
    expect(monolithOf(result.row.listing.attributes).status_raw).toBe('Published');
    expect(result.repairs).toContainEqual({ code: 'STATUS_UNKNOWN', field: 'status', raw: 'Published' });
  });

  it('keeps columns with no target column under _monolith, omitting NULLs and keeping JSON verbatim', () => {
    const row = c2cListing({
      external_id: 'ext-1',
      metadata: '{"currency": "EUR", "discount": {"discount_percent": 10.50, "x": null}, "is_featured": "true"}',
      address_multilingual: '{"city_sr": "Београд"}',
      needs_reindex: true,
    });
    const monolith = monolithOf(listingOf(row).attributes);
    expect(monolith).toEqual({
      condition: 'used',
      original_language: 'sr',
      external_id: 'ext-1',
      metadata: { currency: 'EUR', discount: { discount_percent: 10.5, x: null }, is_featured: 'true' },
      address_multilingual: { city_sr: 'Београд' },
      needs_reindex: true,
      repairs: [{ code: 'LOCATION_FROM_MULTILINGUAL', field: 'location.city', raw: null }],
    });
    expect(listingOf(row).attributes).toContain('"discount_percent":10.50');
  });

  it('takes the currency from metadata.currency when it is three letters after trim/upper-case', () => {
    expect(listingOf(c2cListing({ metadata: '{"currency": " eur "}' })).currency).toBe('EUR');
    expect(listingOf(c2cListing({ metadata: '{"other": 1}' })).currency).toBe('RSD');
    expect(listingOf(c2cListing({ metadata: null })).currency).toBe('RSD');
  });

  it('counts views (NULL → 0), favorites from the source, and has_variants from variant rows', () => {
    const listing = listingOf(c2cListing({ views_count: null }), c2cRelated({ favoritesCount: 3, variantCount: 2 }));
    expect(listing).toMatchObject({ view_count: 0, favorites_count: 3, has_variants: true });
    expect(listingOf().has_variants).toBe(false);
  });

  it('takes location privacy from unified_geo, keeping the geo row under _monolith.geo', () => {
    const result = expectMapped(
      mapC2cListing(
        c2cListing(),
        c2cRelated({ geo: [geoRow({ privacy_level: 'district', blur_radius_meters: 500 })] }),
        ctx,
      ),
    );
    expect(result.row.listing.location_privacy).toBe('approximate');
    expect(monolithOf(result.row.listing.attributes).geo).toMatchObject({
      geohash: 'srywc0',
      privacy_level: 'district',
      blur_radius_meters: 500,
      point: { lat: 44.8178, lon: 20.4569 },
    });
    expect(listingOf().location_privacy).toBe('exact');
  });

  it('prefers the current geo source_type over the old one and keeps the other', () => {
    const geo = [
      geoRow({ id: '1', source_type: 'marketplace_listing', privacy_level: 'exact' }),
      geoRow({ id: '2', source_type: 'c2c_listing', privacy_level: 'city' }),
    ];
    const monolith = monolithOf(listingOf(c2cListing(), c2cRelated({ geo })).attributes);
    expect(monolith.geo).toMatchObject({ source_type: 'c2c_listing' });
    expect(monolith.geo_superseded).toMatchObject([{ source_type: 'marketplace_listing' }]);
  });

  it('keeps translations as {field: {language: {text, machine, verified, version}}}', () => {
    const translation = {
      id: 1,
      entity_type: 'listing',
      entity_id: 1070,
      language: 'en',
      field_name: 'title',
      translated_text: 'Samsung TV 55"',
      is_machine_translated: true,
      is_verified: false,
      created_at: null,
      updated_at: null,
      metadata: '{}',
      version: 1,
      last_modified_by: null,
    };
    const monolith = monolithOf(listingOf(c2cListing(), c2cRelated({ translations: [translation] })).attributes);
    expect(monolith.translations).toEqual({
      title: { en: { text: 'Samsung TV 55"', machine: true, verified: false, version: 1 } },
    });
  });

  it('writes the condition attribute unless a unified condition value wins', () => {
    const bundle = expectMapped(mapC2cListing(c2cListing(), c2cRelated(), ctx)).row;
    expect(bundle.conditionAttribute).toEqual({
      listing_id: 1070,
      attribute_key: 'condition',
      attribute_value: 'used',
      created_at: '2025-10-20T17:38:47.121733Z',
    });
    const unified = attributeValue({ attribute_id: 2, text_value: 'used' });
    const same = expectMapped(mapC2cListing(c2cListing(), c2cRelated({ unifiedCondition: unified }), ctx));
    expect(same.row.conditionAttribute).toBeNull();
    expect(same.repairs).toEqual([]);
    expect(
      expectMapped(mapC2cListing(c2cListing({ condition: null }), c2cRelated(), ctx)).row.conditionAttribute,
    ).toBeNull();
  });

  it('keeps show_on_map', () => {
    expect(listingOf(c2cListing({ show_on_map: false })).show_on_map).toBe(false);
  });

  it('gives the same hash for the same inputs and another one when a related row changes', () => {
    const a = expectMapped(mapC2cListing(c2cListing(), c2cRelated(), ctx));
    const b = expectMapped(mapC2cListing({ ...c2cListing() }, c2cRelated(), ctx));
    const c = expectMapped(mapC2cListing(c2cListing(), c2cRelated({ favoritesCount: 1 }), ctx));
    const d = expectMapped(mapC2cListing(c2cListing(), c2cRelated(), context({ sourceZone: 'Europe/Belgrade' })));
    expect(a.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
    expect(d.hash).not.toBe(a.hash);
  });

  it('is deterministic: the same input maps to a byte-identical result', () => {
    expect(JSON.stringify(mapC2cListing(c2cListing(), c2cRelated(), ctx))).toBe(
      JSON.stringify(mapC2cListing(c2cListing(), c2cRelated(), ctx)),
    );
  });

  it('names every problem of a rejected row in its detail, with the first code', () => {
    const rejected = expectRejected(mapC2cListing(c2cListing({ user_id: null, price: null }), c2cRelated(), ctx));
    expect(rejected.code).toBe('OWNER_MISSING');
    expect(rejected.detail).toContain('PRICE_MISSING');
    expect(JSON.parse(rejected.sourceRow)).toMatchObject({ id: 1070, user_id: null, price: null });
  });

  it('reports nothing for a clean row', () => {
    const result = mapC2cListing(c2cListing(), c2cRelated(), ctx);
    expect(repairCodes(result)).toEqual([]);
    expect(noticeCodes(result)).toEqual([]);
  });
});

describe('listing_locations from C2C (§3.7)', () => {
  it('writes no row when no address column is set', () => {
    expect(expectMapped(mapC2cListing(c2cListing(), c2cRelated(), ctx)).row.location).toBeNull();
  });

  it('takes country/city from the columns, else address_multilingual _sr then _en, postal code from it', () => {
    const row = c2cListing({
      location: 'Knez Mihailova 5',
      latitude: '44.81780000',
      longitude: '20.45690000',
      address_city: null,
      address_country: 'Srbija',
      address_multilingual: '{"city_en": "Belgrade", "city_sr": "Београд", "postal_code": "11000"}',
    });
    const result = expectMapped(mapC2cListing(row, c2cRelated(), ctx));
    expect(result.row.location).toEqual({
      listing_id: 1070,
      country: 'Srbija',
      city: 'Београд',
      postal_code: '11000',
      address_line1: 'Knez Mihailova 5',
      address_line2: null,
      latitude: '44.81780000',
      longitude: '20.45690000',
      created_at: '2025-10-20T17:38:47.121733Z',
      updated_at: '2025-10-21T08:00:00.000000Z',
    });
    expect(result.repairs.map((r) => r.field)).toEqual(['location.city']);
  });
});
