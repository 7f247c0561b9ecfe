import { describe, expect, it } from 'vitest';
import { derivedProductStockStatus, mapB2cProduct } from '../../../src/monolith-migration/mapping/b2c-products.ts';
import { b2cProduct, b2cRelated, context, expectMapped, expectRejected, monolithOf } from './mapping-support.ts';

const ctx = context({ attributes: { 1: 'color' } });

function listingOf(row = b2cProduct(), related = b2cRelated()) {
  return expectMapped(mapB2cProduct(row, related, ctx)).row.listing;
}

describe('b2c_products → listings (§3.5)', () => {
  it('keeps the id, derives the reference UUID, and takes the owner from the store', () => {
    expect(listingOf()).toMatchObject({
      id: 1071,
      uuid: '3df75a73-e5b6-5899-ade9-ecd1373818cc',
      source_type: 'b2c',
      user_id: 7,
      storefront_id: 43,
      category_id: 11,
    });
  });

  it('maps name → title, keeps an empty description, sku and barcode, quantity and counters', () => {
    expect(listingOf()).toMatchObject({
      title: 'Kafa Grand 200g',
      description: '',
      sku: 'KAFA-200',
      barcode: '8600000000017',
      quantity: 40,
      view_count: 3,
      sold_count: 1,
      price: '349.99',
    });
  });

  it('copies timestamptz values exactly (microseconds kept) and publishes active products', () => {
    const listing = listingOf(b2cProduct({ created_at: '2025-10-22 11:15:00.123456+02' }));
    expect(listing.created_at).toBe('2025-10-22T09:15:00.123456Z');
    expect(listing.updated_at).toBe('2025-10-22T09:15:00.500000Z');
    expect(listing.published_at).toBe(listing.created_at);
  });

  it('maps is_active false to inactive, not published', () => {
    expect(listingOf(b2cProduct({ is_active: false }))).toMatchObject({ status: 'inactive', published_at: null });
  });

  it('keeps a stored currency (USD stays USD), upper-cases and right-trims the blank padding', () => {
    expect(listingOf(b2cProduct({ currency: 'USD' })).currency).toBe('USD');
    expect(listingOf(b2cProduct({ currency: 'eu ' })).currency).toBe('RSD');
    expect(listingOf(b2cProduct({ currency: 'eur' })).currency).toBe('EUR');
  });

  it('keeps every top-level source attribute and adds _monolith', () => {
    const attributes = JSON.parse(listingOf().attributes) as Record<string, unknown>;
    expect(attributes).toEqual({ weight: '200g', _monolith: {} });
  });

  it('keeps product attribute settings with their attribute code', () => {
    const settings = [
      {
        id: 2,
        product_id: 1071,
        attribute_id: 1,
        is_enabled: true,
        is_required: false,
        custom_values: '["crna", "bela"]',
        created_at: '2025-10-22 09:15:00+00',
        updated_at: '2025-10-22 09:15:00+00',
      },
    ];
    const monolith = monolithOf(listingOf(b2cProduct(), b2cRelated({ attributeSettings: settings })).attributes);
    expect(monolith.product_attribute_settings).toEqual([
      {
        attribute_id: 1,
        attribute_code: 'color',
        is_enabled: true,
        is_required: false,
        custom_values: ['crna', 'bela'],
        created_at: '2025-10-22T09:15:00.000000Z',
        updated_at: '2025-10-22T09:15:00.000000Z',
      },
    ]);
  });

  it('copies the individual location columns verbatim and writes a location row for them', () => {
    const row = b2cProduct({
      has_individual_location: true,
      individual_address: 'Bulevar 1',
      individual_latitude: '45.25000000',
      individual_longitude: '19.85000000',
    });
    const bundle = expectMapped(mapB2cProduct(row, b2cRelated(), ctx)).row;
    expect(bundle.listing).toMatchObject({
      has_individual_location: true,
      individual_address: 'Bulevar 1',
      individual_latitude: '45.25000000',
      individual_longitude: '19.85000000',
    });
    expect(bundle.location).toMatchObject({ address_line1: 'Bulevar 1', country: null, latitude: '45.25000000' });
  });

  it('writes no location row for a product without its own location (the store is the fallback)', () => {
    expect(expectMapped(mapB2cProduct(b2cProduct(), b2cRelated(), ctx)).row.location).toBeNull();
    const onlyFlag = b2cProduct({ has_individual_location: true });
    expect(expectMapped(mapB2cProduct(onlyFlag, b2cRelated(), ctx)).row.location).toBeNull();
  });

  it('stores the stock status the target trigger derives from quantity', () => {
    expect([0, 1, 5, 6].map(derivedProductStockStatus)).toEqual(['out_of_stock', 'low_stock', 'low_stock', 'in_stock']);
    expect(listingOf(b2cProduct({ stock_quantity: 3, stock_status: 'low_stock' })).stock_status).toBe('low_stock');
  });

  it('puts the store owner into the hash', () => {
    const a = expectMapped(mapB2cProduct(b2cProduct(), b2cRelated(), ctx));
    const b = expectMapped(mapB2cProduct(b2cProduct(), b2cRelated(), context({ stores: { 43: 8 } })));
    expect(a.hash).not.toBe(b.hash);
  });

  it('rejects a product whose store owner is not a valid user', () => {
    expect(expectRejected(mapB2cProduct(b2cProduct(), b2cRelated(), context({ stores: { 43: 0 } }))).code).toBe(
      'OWNER_MISSING',
    );
  });
});
