import { describe, expect, it } from 'vitest';
import { mapAttributeValue, typedValue } from '../../../src/monolith-migration/mapping/attribute-values.ts';
import type {
  MappingResult,
  TargetVariantRow,
  VariantAttributeValue,
} from '../../../src/monolith-migration/mapping/types.ts';
import {
  derivedVariantStockStatus,
  mapB2cVariant,
  mapC2cVariant,
} from '../../../src/monolith-migration/mapping/variants.ts';
import {
  attributeValue,
  b2cVariant,
  context,
  expectMapped,
  expectRejected,
  MIGRATED_PARENT,
} from './mapping-support.ts';

const ctx = context();
const noRelated = { images: [], attributeValues: [] };

describe('unified_attribute_values → listing_attributes (§3.8)', () => {
  it('writes the attribute code and the text value, created_at = the value updated_at (UTC)', () => {
    const result = expectMapped(mapAttributeValue(attributeValue(), MIGRATED_PARENT, ctx));
    expect(result.row).toEqual({
      listing_id: 1070,
      attribute_key: 'color',
      attribute_value: 'crna',
      created_at: '2025-10-20T18:00:00.500000Z',
    });
    expect(result.targetKey).toBe('1070:color');
  });

  it.each([
    [{ text_value: null, numeric_value: '0012.500' }, '12.500'],
    [{ text_value: null, boolean_value: false }, 'false'],
    [{ text_value: null, date_value: '2025-11-09' }, '2025-11-09'],
    [{ text_value: null, json_value: '{"a": [1, 2.50], "b": "ć"}' }, '{"a":[1,2.50],"b":"ć"}'],
  ])('writes %j as %j', (typed, expected) => {
    expect(typedValue(attributeValue(typed))?.text).toBe(expected);
  });

  it('takes the first typed column in text, numeric, boolean, date, json order when several are set', () => {
    const value = typedValue(attributeValue({ text_value: null, numeric_value: '5', json_value: '"x"' }));
    expect(value).toEqual({ text: '5', json: '5', columns: ['numeric_value', 'json_value'] });
  });

  it('rejects an unknown attribute or a missing entity with PARENT_MISSING', () => {
    expect(expectRejected(mapAttributeValue(attributeValue({ attribute_id: 99 }), MIGRATED_PARENT, ctx)).code).toBe(
      'PARENT_MISSING',
    );
    expect(expectRejected(mapAttributeValue(attributeValue(), { state: 'missing' }, ctx)).code).toBe('PARENT_MISSING');
  });

  it('turns a product_variant value into a JSON value for its variant', () => {
    const row = attributeValue({
      entity_type: 'product_variant',
      entity_id: 9,
      text_value: null,
      numeric_value: '1.50',
    });
    const result = expectMapped(mapAttributeValue(row, { state: 'migrated', id: 9, createdAt: '' }, ctx));
    expect(result.targetTable).toBe('b2c_product_variants');
    expect(result.row).toEqual({ variant_id: 9, code: 'color', value: '1.50' });
  });
});

describe('b2c_product_variants → b2c_product_variants (§3.10)', () => {
  it('copies the 19 columns, id kept, numerics at scale, UTC times', () => {
    const result = expectMapped(mapB2cVariant(b2cVariant(), noRelated, { ...MIGRATED_PARENT, id: 1071 }, ctx));
    expect(result.row).toEqual({
      id: 9,
      product_id: 1071,
      sku: 'KAFA-200-X',
      barcode: null,
      price: '349.99',
      compare_at_price: null,
      cost_price: '200.50',
      stock_quantity: 20,
      stock_status: 'in_stock',
      low_stock_threshold: 5,
      variant_attributes: '{"size":"200g"}',
      weight: '0.200',
      dimensions: null,
      is_active: true,
      is_default: true,
      view_count: 0,
      sold_count: 0,
      created_at: '2025-10-22T09:15:00.000000Z',
      updated_at: '2025-10-22T09:15:00.000000Z',
    });
    expect(result.extras).toBeNull();
  });

  it('derives stock_status as the target trigger does and keeps the raw value in extras', () => {
    expect([0, 3, 5, 6].map((q) => derivedVariantStockStatus(q, 5))).toEqual([
      'out_of_stock',
      'low_stock',
      'low_stock',
      'in_stock',
    ]);
    const result = expectMapped(mapB2cVariant(b2cVariant({ stock_quantity: 2 }), noRelated, MIGRATED_PARENT, ctx));
    expect(result.row.stock_status).toBe('low_stock');
    expect(JSON.parse(result.extras ?? '{}')).toMatchObject({ stock_status: 'in_stock' });
  });

  it('keeps variant images as an ordered array in extras', () => {
    const image = (id: number, display_order: number, is_main: boolean) => ({
      id,
      variant_id: 9,
      image_url: `https://cdn.example/v/${id}.jpg`,
      thumbnail_url: null,
      alt_text: null,
      display_order,
      is_main,
      created_at: '2025-10-22 09:15:00+00',
    });
    const result = expectMapped(
      mapB2cVariant(
        b2cVariant(),
        { images: [image(3, 1, false), image(2, 0, false), image(1, 0, true)], attributeValues: [] },
        MIGRATED_PARENT,
        ctx,
      ),
    );
    expect((JSON.parse(result.extras ?? '{}') as { images: { id: number }[] }).images.map((i) => i.id)).toEqual([
      1, 2, 3,
    ]);
  });

  it('adds unified variant values under absent keys and keeps a conflicting one in extras', () => {
    const values: VariantAttributeValue[] = [
      { variant_id: 9, code: 'color', value: '"crna"' },
      { variant_id: 9, code: 'size', value: '"250g"' },
      { variant_id: 9, code: 'size2', value: '2' },
    ];
    const result = expectMapped(
      mapB2cVariant(b2cVariant(), { images: [], attributeValues: values }, MIGRATED_PARENT, ctx),
    );
    expect(JSON.parse(result.row.variant_attributes)).toEqual({ size: '200g', color: 'crna', size2: 2 });
    expect(JSON.parse(result.extras ?? '{}')).toMatchObject({ attribute_conflicts: { size: '250g' } });
    expect(result.repairs.map((r) => r.code)).toEqual(['ATTRIBUTE_CONFLICT']);
  });

  it('rejects the variants of a missing or rejected product', () => {
    expect(expectRejected(mapB2cVariant(b2cVariant(), noRelated, { state: 'missing' }, ctx)).code).toBe(
      'PARENT_MISSING',
    );
  });
});

describe('c2c_listing_variants → b2c_product_variants (§3.10)', () => {
  const row = {
    id: 3,
    listing_id: 1070,
    sku: 'TV-55',
    price: '35000',
    stock: null,
    attributes: '{"boja": "crna"}',
    image_url: 'https://cdn.example/v.jpg',
    is_active: true,
    created_at: '2025-10-20 17:38:47.5+00',
    updated_at: null,
  };

  it('offsets the id, stock NULL → 0 out_of_stock, is_default false, counters 0, image_url in extras', () => {
    const result = expectMapped(mapC2cVariant(row, MIGRATED_PARENT, ctx) as MappingResult<TargetVariantRow>);
    expect(result.row).toMatchObject({
      id: 1_000_000_003,
      product_id: 1070,
      sku: 'TV-55',
      price: '35000.00',
      stock_quantity: 0,
      stock_status: 'out_of_stock',
      low_stock_threshold: null,
      variant_attributes: '{"boja":"crna"}',
      is_default: false,
      view_count: 0,
      sold_count: 0,
      created_at: '2025-10-20T17:38:47.500000Z',
      updated_at: '2025-10-20T17:38:47.500000Z',
    });
    expect(JSON.parse(result.extras ?? '{}')).toMatchObject({ image_url: 'https://cdn.example/v.jpg' });
  });

  it('is in_stock with any positive stock', () => {
    expect(expectMapped(mapC2cVariant({ ...row, stock: 1 }, MIGRATED_PARENT, ctx)).row.stock_status).toBe('in_stock');
  });
});
