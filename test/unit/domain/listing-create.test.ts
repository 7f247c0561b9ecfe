import { describe, expect, it } from 'vitest';
import { type CreateListingInput, isSearchable, validateCreateListing } from '../../../src/domain/listing.ts';
import { expectViolation, violationsOf } from './support.ts';

const now = new Date('2026-01-02T03:04:05Z');
const context = { uuid: '6f1c3a52-8d2e-4c55-9d0a-2b7a1f0e9c11', now };
const valid: CreateListingInput = {
  userId: 7,
  title: '  Bicycle  ',
  description: 'Blue, 21 gears',
  price: 149.99,
  currency: 'RSD',
  categoryId: 3,
  quantity: 1,
  sku: ' BIKE-1 ',
};

const create = (patch: Partial<Record<keyof CreateListingInput, unknown>>) => () =>
  validateCreateListing({ ...valid, ...patch } as CreateListingInput, context);

describe('validateCreateListing', () => {
  it('builds a draft c2c row with normalised values', () => {
    const row = validateCreateListing(valid, context);
    expect(row).toMatchObject({
      uuid: context.uuid,
      userId: 7,
      storefrontId: null,
      sourceType: 'c2c',
      title: 'Bicycle',
      price: 14999,
      currency: 'RSD',
      status: 'draft',
      visibility: 'public',
      quantity: 1,
      sku: 'BIKE-1',
      stockStatus: 'in_stock',
      publishedAt: null,
      isDeleted: false,
      attributes: {},
      createdAt: now,
    });
  });

  it('makes a row with a storefront b2c', () => {
    const row = validateCreateListing({ ...valid, storefrontId: 12, quantity: 3 }, context);
    expect(row.sourceType).toBe('b2c');
    expect(row.storefrontId).toBe(12);
    expect(row.stockStatus).toBe('low_stock');
  });

  it('allows quantity 0 (the original rejected it)', () => {
    const row = validateCreateListing({ ...valid, quantity: 0 }, context);
    expect(row.quantity).toBe(0);
    expect(row.stockStatus).toBe('out_of_stock');
  });

  it.each([
    ['userId', 0, 'user_id', 'user_id must be greater than 0'],
    ['userId', -3, 'user_id', 'user_id must be greater than 0'],
    ['userId', 1.5, 'user_id', 'user_id must be greater than 0'],
    ['storefrontId', -1, 'storefront_id', 'storefront ID must be greater than 0'],
    ['title', '', 'title', 'title is required'],
    ['title', '    ', 'title', 'title is required'],
    ['title', ' ab ', 'title', 'title must be at least 3 characters'],
    ['title', 'x'.repeat(256), 'title', 'title must not exceed 255 characters'],
    ['description', 'x'.repeat(10_001), 'description', 'description must not exceed 10000 characters'],
    ['price', 0, 'price', 'price must be greater than 0'],
    ['price', -1, 'price', 'price must be greater than 0'],
    ['price', 10.001, 'price', 'price must have at most 2 decimal places'],
    ['currency', '', 'currency', 'currency is required'],
    ['currency', 'DINAR', 'currency', 'currency must be 3 characters (ISO 4217)'],
    ['currency', 'QQQ', 'currency', 'currency must be a known ISO 4217 code'],
    ['categoryId', 0, 'category_id', 'category_id must be greater than 0'],
    ['quantity', -1, 'quantity', 'quantity cannot be negative'],
    ['quantity', 2_147_483_648, 'quantity', 'quantity must not exceed 2147483647'],
    ['quantity', 1.5, 'quantity', 'quantity must be a whole number'],
    ['sku', 'S'.repeat(101), 'sku', 'sku must not exceed 100 characters'],
    ['visibility', 'secret', 'visibility', 'invalid visibility: secret'],
    ['sourceType', 'b2c', 'source_type', 'source_type must be b2c when storefront_id is set and c2c when it is not'],
    ['attributes', [1, 2], 'attributes', 'attributes must be a JSON object'],
  ] as const)('%s = %j → %s: %s', (key, value, field, message) => {
    expectViolation(create({ [key]: value }), field, message);
  });

  it('counts title length in characters, not UTF-16 units', () => {
    const emoji = '😀';
    expect(validateCreateListing({ ...valid, title: emoji.repeat(3) }, context).title).toBe(emoji.repeat(3));
    expectViolation(create({ title: emoji.repeat(2) }), 'title', 'title must be at least 3 characters');
  });

  it('reports every invalid field at once', () => {
    const violations = violationsOf(
      create({ userId: 0, title: 'ab', price: 0, currency: '', categoryId: -1, quantity: -5 }),
    );
    expect(violations.map((v) => v.field)).toEqual([
      'user_id',
      'title',
      'price',
      'currency',
      'category_id',
      'quantity',
    ]);
    expect(violations.map((v) => v.reason)).toEqual([
      'must_be_positive',
      'too_short',
      'must_be_positive',
      'required',
      'must_be_positive',
      'negative',
    ]);
  });
});

describe('isSearchable', () => {
  it('is active, public and live only', () => {
    expect(isSearchable({ status: 'active', visibility: 'public', isDeleted: false })).toBe(true);
    expect(isSearchable({ status: 'draft', visibility: 'public', isDeleted: false })).toBe(false);
    expect(isSearchable({ status: 'active', visibility: 'unlisted', isDeleted: false })).toBe(false);
    expect(isSearchable({ status: 'active', visibility: 'public', isDeleted: true })).toBe(false);
  });
});
