import { describe, expect, it } from 'vitest';
import {
  applyVariantChanges,
  type ProductVariant,
  parseVariantPatch,
  validateVariantInput,
} from '../../../src/domain/product-variant.ts';
import {
  assertCanDeactivate,
  assertVariantParent,
  checkVariantBatch,
  defaultAfterCreate,
  defaultAfterDelete,
  defaultAfterUpdate,
  type VariantState,
} from '../../../src/domain/variant-rules.ts';
import { catchAppError, expectViolation } from './support.ts';

const v = (id: number, isDefault = false, isActive = true): VariantState => ({ id, isDefault, isActive });

describe('default variant', () => {
  it('the first variant of a product becomes the default', () => {
    expect(defaultAfterCreate([], [{ id: 8, requestedDefault: false }])).toBe(8);
    expect(
      defaultAfterCreate(
        [],
        [
          { id: 8, requestedDefault: false },
          { id: 9, requestedDefault: false },
        ],
      ),
    ).toBe(8);
  });

  it('a new variant asking for it takes it; otherwise the existing default stays', () => {
    expect(defaultAfterCreate([v(1, true)], [{ id: 2, requestedDefault: true }])).toBe(2);
    expect(defaultAfterCreate([v(1, true)], [{ id: 2, requestedDefault: false }])).toBe(1);
    expect(defaultAfterCreate([v(3), v(5)], [{ id: 6, requestedDefault: false }])).toBe(3);
  });

  it('setting is_default moves it; unsetting it moves it to the lowest other id', () => {
    const variants = [v(4), v(2, true), v(7)];
    expect(defaultAfterUpdate(variants, 7, true)).toBe(7);
    expect(defaultAfterUpdate(variants, 2, false)).toBe(4);
    expect(defaultAfterUpdate(variants, 4, false)).toBe(2);
    expect(defaultAfterUpdate(variants, 4, undefined)).toBe(2);
    expect(defaultAfterUpdate([v(2, true)], 2, false)).toBe(2);
  });

  it('deleting the default promotes the lowest remaining id', () => {
    expect(defaultAfterDelete([v(5, true), v(9), v(6)], 5)).toBe(6);
    expect(defaultAfterDelete([v(5, true), v(9), v(6)], 9)).toBe(5);
    expect(defaultAfterDelete([v(5, true)], 5)).toBeNull();
  });
});

describe('last active variant', () => {
  it('cannot be deactivated', () => {
    const error = catchAppError(() => assertCanDeactivate(3, [v(1), v(2, false, false)], 1), 'INVALID_STATE');
    expect(error.reason).toBe('variants.last_variant');
    expect(error.message).toBe('cannot deactivate the last active variant of product 3');
  });

  it('may be deactivated while another active one exists, and inactive ones are not checked', () => {
    expect(() => assertCanDeactivate(3, [v(1), v(2)], 1)).not.toThrow();
    expect(() => assertCanDeactivate(3, [v(1, false, false), v(2)], 1)).not.toThrow();
  });
});

describe('variant parent', () => {
  const parent = { sourceType: 'b2c', isDeleted: false, status: 'active', hasVariants: true } as const;
  it('must be a live, not archived b2c row with variants enabled', () => {
    expect(() => assertVariantParent(1, parent)).not.toThrow();
    expect(() => assertVariantParent(1, { ...parent, status: 'draft' })).not.toThrow();
    for (const bad of [
      null,
      { ...parent, sourceType: 'c2c' as const },
      { ...parent, isDeleted: true },
      { ...parent, status: 'archived' as const },
    ]) {
      expect(catchAppError(() => assertVariantParent(1, bad), 'PRODUCT_NOT_FOUND').reason).toBe(
        'variants.product_not_found',
      );
    }
    const error = catchAppError(() => assertVariantParent(1, { ...parent, hasVariants: false }), 'INVALID_STATE');
    expect(error.reason).toBe('variants.product_no_variants');
  });
});

describe('variant input', () => {
  it('creates an active variant with computed stock status; stock 0 allowed', () => {
    expect(validateVariantInput(1, { stockQuantity: 0, price: 12.5, sku: ' S-1 ' })).toMatchObject({
      productId: 1,
      sku: 'S-1',
      price: 1250,
      stockQuantity: 0,
      stockStatus: 'out_of_stock',
      lowStockThreshold: 5,
      isActive: true,
      isDefault: false,
    });
    expect(validateVariantInput(1, { stockQuantity: 5 }).stockStatus).toBe('low_stock');
    expect(validateVariantInput(1, { stockQuantity: 6 }).stockStatus).toBe('in_stock');
  });

  it('rejects negative stock with variants.invalid_stock_quantity', () => {
    const violation = expectViolation(
      () => validateVariantInput(1, { stockQuantity: -1 }),
      'stock_quantity',
      'stock_quantity cannot be negative',
    );
    expect(violation.reason).toBe('negative');
    expect(catchAppError(() => validateVariantInput(1, { stockQuantity: -1 }), 'VALIDATION_FAILED').reason).toBe(
      'variants.invalid_stock_quantity',
    );
  });

  it('bounds batches: empty, too many, several defaults', () => {
    expect(catchAppError(() => checkVariantBatch([]), 'VALIDATION_FAILED').reason).toBe('variants.bulk_empty');
    const many = Array.from({ length: 1001 }, () => ({}));
    expect(catchAppError(() => checkVariantBatch(many), 'VALIDATION_FAILED').reason).toBe('variants.bulk_too_many');
    const twoDefaults = [{ isDefault: true }, { isDefault: true }];
    expect(catchAppError(() => checkVariantBatch(twoDefaults), 'VALIDATION_FAILED').reason).toBe(
      'variants.multiple_defaults',
    );
  });

  it('updates only what differs and recomputes stock status', () => {
    const current: ProductVariant = {
      ...validateVariantInput(1, { stockQuantity: 10, sku: 'A' }),
      id: 3,
      viewCount: 0,
      soldCount: 0,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    expect(applyVariantChanges(current, parseVariantPatch({ sku: 'A', stockQuantity: 3 }))).toEqual({
      stockQuantity: 3,
      stockStatus: 'low_stock',
    });
    expect(applyVariantChanges(current, parseVariantPatch({ lowStockThreshold: 10 }))).toEqual({
      lowStockThreshold: 10,
      stockStatus: 'low_stock',
    });
    expect(applyVariantChanges(current, parseVariantPatch({ variantAttributes: {} }))).toEqual({});
    expectViolation(() => parseVariantPatch({}), '', 'at least one field must be provided for update');
  });
});
