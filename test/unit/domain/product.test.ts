import { describe, expect, it } from 'vitest';
import type { Listing } from '../../../src/domain/listing.ts';
import { applyListingChanges } from '../../../src/domain/listing-changes.ts';
import {
  checkProductInput,
  type ProductInput,
  productFromListing,
  validateCreateProduct,
} from '../../../src/domain/product.ts';
import { parseProductPatch } from '../../../src/domain/product-changes.ts';
import { applyUpdateMask, resolveMaskPaths } from '../../../src/domain/product-mask.ts';
import { atIndex, Violations } from '../../../src/domain/validation.ts';
import { catchAppError, expectViolation, violationsOf } from './support.ts';

const now = new Date('2026-05-05T05:05:05Z');
const context = { storefrontId: 11, ownerUserId: 77, uuid: 'uuid-1', now };
const input: ProductInput = {
  name: 'Espresso machine',
  description: '',
  price: 299.9,
  currency: 'EUR',
  categoryId: 4,
  sku: 'ESP-1',
  stockQuantity: 20,
  isActive: true,
  attributes: { brand: 'Acme', bars: 15 },
};

function row(overrides: Partial<Listing> = {}): Listing {
  return { ...validateCreateProduct(input, context), id: 100, version: 3, ...overrides };
}

describe('validateCreateProduct', () => {
  it('builds an active, published b2c row owned by the storefront owner', () => {
    expect(validateCreateProduct(input, context)).toMatchObject({
      sourceType: 'b2c',
      storefrontId: 11,
      userId: 77,
      title: 'Espresso machine',
      description: null,
      price: 29990,
      status: 'active',
      publishedAt: now,
      quantity: 20,
      stockStatus: 'in_stock',
      locationPrivacy: 'exact',
      showOnMap: true,
      hasVariants: false,
    });
  });

  it('honours is_active=false (a draft) and has_variants', () => {
    const draft = validateCreateProduct({ ...input, isActive: false, hasVariants: true }, context);
    expect(draft).toMatchObject({ status: 'draft', publishedAt: null, hasVariants: true });
  });

  it('computes stock status with low_stock', () => {
    expect(validateCreateProduct({ ...input, stockQuantity: 0 }, context).stockStatus).toBe('out_of_stock');
    expect(validateCreateProduct({ ...input, stockQuantity: 5 }, context).stockStatus).toBe('low_stock');
  });

  it.each([
    ['name', '', 'name', 'product name cannot be empty'],
    ['name', 'ab', 'name', 'name must be at least 3 characters'],
    ['description', 'd'.repeat(5001), 'description', 'description must not exceed 5000 characters'],
    ['price', 0, 'price', 'price must be greater than 0'],
    ['currency', 'EU', 'currency', 'currency must be 3 characters (ISO 4217)'],
    ['categoryId', 0, 'category_id', 'category ID must be greater than 0'],
    ['stockQuantity', -1, 'stock_quantity', 'stock_quantity cannot be negative'],
    ['locationPrivacy', 'public', 'location_privacy', 'location_privacy must be one of: exact, approximate, hidden'],
    ['individualLatitude', 91, 'individual_latitude', 'individual_latitude must be between -90 and 90'],
    [
      'attributes',
      { nested: { a: 1 } },
      'attributes.nested',
      'attributes.nested must be a string, number, boolean or null (attributes is a flat object)',
    ],
  ] as const)('%s = %j → %s', (key, value, field, message) => {
    const extra = key === 'individualLatitude' ? { individualLongitude: 20 } : {};
    expectViolation(() => validateCreateProduct({ ...input, ...extra, [key]: value }, context), field, message);
  });

  it('reports all problems, and re-homes them for bulk items', () => {
    const v = new Violations();
    expect(checkProductInput(v, { ...input, name: 'x', price: -2, stockQuantity: -1 }, context)).toBeUndefined();
    expect(atIndex(v.items, 'products', 2).map((item) => [item.field, item.message])).toEqual([
      ['products[2].name', 'name at index 2 must be at least 3 characters'],
      ['products[2].price', 'price at index 2 must be greater than 0'],
      ['products[2].stock_quantity', 'stock_quantity at index 2 cannot be negative'],
    ]);
  });

  it('needs both coordinates or none', () => {
    const fields = violationsOf(() => validateCreateProduct({ ...input, individualLatitude: 44.8 }, context));
    expect(fields.map((v) => v.field)).toEqual(['individual_longitude']);
  });
});

describe('productFromListing', () => {
  it('maps name, stock_quantity, is_active and an empty description', () => {
    const product = productFromListing(row());
    expect(product).toMatchObject({
      id: 100,
      storefrontId: 11,
      name: 'Espresso machine',
      description: '',
      stockQuantity: 20,
      isActive: true,
      status: 'active',
      version: 3,
      variants: [],
    });
    expect(productFromListing(row({ status: 'inactive' })).isActive).toBe(false);
  });

  it('does not see c2c or deleted rows as products', () => {
    const c2c = row({ sourceType: 'c2c', storefrontId: null });
    expect(catchAppError(() => productFromListing(c2c), 'PRODUCT_NOT_FOUND').reason).toBe('products.not_found');
    catchAppError(() => productFromListing(row({ isDeleted: true, deletedAt: now })), 'PRODUCT_NOT_FOUND');
  });
});

describe('parseProductPatch', () => {
  it('maps product names onto columns and is_active onto status', () => {
    expect(
      parseProductPatch({ name: ' Grinder ', stockQuantity: 3, isActive: false, sku: 'G-1', currency: 'RSD' }),
    ).toEqual({
      title: 'Grinder',
      quantity: 3,
      status: 'inactive',
      sku: 'G-1',
      currency: 'RSD',
    });
  });

  it('needs a field, with the bulk code', () => {
    const error = catchAppError(() => parseProductPatch({}), 'VALIDATION_FAILED');
    expect(error.reason).toBe('products.no_fields_to_update');
  });

  it('flags invalid attributes with products.invalid_attributes', () => {
    const error = catchAppError(() => parseProductPatch({ attributes: { a: [1] } }), 'VALIDATION_FAILED');
    expect(error.reason).toBe('products.invalid_attributes');
  });

  it('goes through the transition rules', () => {
    const archived = row({ status: 'archived' });
    catchAppError(() => applyListingChanges(archived, parseProductPatch({ isActive: true }), now), 'INVALID_STATE');
    expect(applyListingChanges(row(), parseProductPatch({ isActive: false }), now).update).toEqual({
      status: 'inactive',
    });
  });
});

describe('update masks', () => {
  const patch = { name: 'New name', stockQuantity: 4, isActive: true, price: 10 };

  it('accepts column names, proto names and JSON names alike', () => {
    expect([...resolveMaskPaths(['title', 'quantity', 'status'])]).toEqual(['name', 'stockQuantity', 'isActive']);
    expect([...resolveMaskPaths(['name', 'stock_quantity', 'is_active'])]).toEqual([
      'name',
      'stockQuantity',
      'isActive',
    ]);
    expect([...resolveMaskPaths(['stockQuantity', 'isActive', 'individualLatitude'])]).toEqual([
      'stockQuantity',
      'isActive',
      'individualLatitude',
    ]);
  });

  it('applies only masked present fields; no mask applies all', () => {
    expect(applyUpdateMask(patch, ['title', 'quantity'])).toEqual({ name: 'New name', stockQuantity: 4 });
    expect(applyUpdateMask(patch, ['description'])).toEqual({});
    expect(applyUpdateMask(patch, [])).toBe(patch);
    expect(applyUpdateMask(patch, undefined)).toBe(patch);
  });

  it('accepts stock_status and ignores it', () => {
    expect(applyUpdateMask(patch, ['stock_status', 'price'])).toEqual({ price: 10 });
  });

  it('rejects unknown paths, all of them', () => {
    const violations = violationsOf(() => resolveMaskPaths(['title', 'colour', 'owner']));
    expect(violations.map((v) => v.message)).toEqual([
      'unknown field mask path: colour',
      'unknown field mask path: owner',
    ]);
    expect(violations[0]!.field).toBe('update_mask');
  });
});
