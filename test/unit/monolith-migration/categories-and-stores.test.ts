import { describe, expect, it } from 'vitest';
import { mapCategory, mapStore } from '../../../src/monolith-migration/mapping/categories-and-stores.ts';
import { CATEGORY_COLUMNS, STOREFRONT_COLUMNS } from '../../../src/monolith-migration/mapping/target-columns.ts';
import { category, context, expectMapped, store } from './mapping-support.ts';

const ctx = context({ sourceZone: 'Europe/Belgrade', categories: [10, 10233] });

describe('c2c_categories → c2c_categories (§3.3)', () => {
  it('copies the 17 columns with the id kept and created_at as UTC wall clock', () => {
    const result = expectMapped(mapCategory(category(), ctx));
    expect(Object.keys(result.row).sort()).toEqual([...CATEGORY_COLUMNS].sort());
    expect(result.row).toMatchObject({ id: 10233, parent_id: 10, level: 1, slug: 'telefoni' });
    expect(result.row.created_at).toBe('2024-12-31T23:00:00.000000Z');
  });

  it('makes a category whose parent is missing a root (parent NULL, level 0) and keeps the raw values', () => {
    const result = expectMapped(mapCategory(category({ parent_id: 555, level: 2 }), ctx));
    expect(result.row).toMatchObject({ parent_id: null, level: 0 });
    expect(JSON.parse(result.extras ?? '{}')).toEqual({
      parent_id: 555,
      level: 2,
      repairs: [{ code: 'CATEGORY_PARENT_MISSING', field: 'parent_id', raw: '555' }],
    });
  });

  it('does not carry source keys the target does not have', () => {
    const result = expectMapped(mapCategory({ ...category(), extra_column: 'x' } as ReturnType<typeof category>, ctx));
    expect(result.row).not.toHaveProperty('extra_column');
  });
});

describe('b2c_stores → storefronts (§3.3)', () => {
  it('copies the 43 columns, naive times as UTC, numerics at their scale, JSON verbatim', () => {
    const result = expectMapped(mapStore(store(), ctx));
    expect(Object.keys(result.row).sort()).toEqual([...STOREFRONT_COLUMNS].sort());
    expect(result.row).toMatchObject({
      id: 43,
      user_id: 7,
      slug: 'kafeterija',
      country: 'RS',
      latitude: '44.81780000',
      rating: '4.50',
      theme: '{"layout": "grid", "primaryColor": "#1976d2"}',
      geo_strategy: 'storefront_location',
      default_privacy_level: 'exact',
      created_at: '2025-09-01T08:00:00.000000Z',
    });
    expect(result.extras).toBeNull();
  });

  it("replaces an empty slug with 'store-<id>'", () => {
    expect(expectMapped(mapStore(store({ slug: '' }), ctx)).row.slug).toBe('store-43');
  });

  it('maps a country name too long for varchar(2) to its code, else NULL, raw in extras', () => {
    const named = expectMapped(mapStore(store({ country: ' Србија ' }), ctx));
    expect(named.row.country).toBe('RS');
    expect(JSON.parse(named.extras ?? '{}')).toMatchObject({ country: ' Србија ' });
    expect(expectMapped(mapStore(store({ country: 'Atlantis' }), ctx)).row.country).toBeNull();
  });

  it('copies a long country verbatim when the target column was widened', () => {
    const widened = context({ storefrontCountryWidth: 100 });
    expect(expectMapped(mapStore(store({ country: 'Serbia' }), widened)).row.country).toBe('Serbia');
  });

  it('maps default_privacy_level street/district/city to approximate, raw in extras', () => {
    const result = expectMapped(mapStore(store({ default_privacy_level: 'city' }), ctx));
    expect(result.row.default_privacy_level).toBe('approximate');
    expect(JSON.parse(result.extras ?? '{}')).toMatchObject({ default_privacy_level: 'city' });
  });
});
