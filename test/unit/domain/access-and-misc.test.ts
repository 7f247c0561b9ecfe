import { describe, expect, it } from 'vitest';
import { actingUserId, assertListingOwner, assertService, assertStorefrontOwner } from '../../../src/domain/access.ts';
import {
  checkBulkCreateSize,
  checkBulkDeleteIds,
  checkBulkUpdateSize,
  checkLookupIds,
  checkSkuList,
  duplicateSkusInBatch,
  skuDuplicateItem,
} from '../../../src/domain/product-bulk.ts';
import { retryDelayMs } from '../../../src/domain/retry-backoff.ts';
import { validateSlug, validateStorefrontList } from '../../../src/domain/storefront.ts';
import { checkEntityId, Violations } from '../../../src/domain/validation.ts';
import { catchAppError, expectViolation } from './support.ts';

const user = { subject: '42', userId: 42, roles: [] as string[], kind: 'user' as const };
const service = { subject: 'orders', roles: ['service'], kind: 'service' as const };
const admin = { subject: '1', userId: 1, roles: ['admin'], kind: 'user' as const };

describe('access', () => {
  it('lets owners, admins and services change a listing', () => {
    expect(() => assertListingOwner(user, { userId: 42 })).not.toThrow();
    expect(() => assertListingOwner(admin, { userId: 42 })).not.toThrow();
    expect(() => assertListingOwner(service, { userId: 42 })).not.toThrow();
    const error = catchAppError(() => assertListingOwner(user, { userId: 43 }), 'PERMISSION_DENIED');
    expect(error.message).toBe('unauthorized: user does not own this listing');
    catchAppError(() => assertListingOwner(undefined, { userId: 42 }), 'UNAUTHENTICATED');
  });

  it('checks storefront ownership', () => {
    expect(() => assertStorefrontOwner(user, { id: 5, userId: 42 })).not.toThrow();
    catchAppError(() => assertStorefrontOwner(user, { id: 5, userId: 7 }), 'PERMISSION_DENIED');
  });

  it('keeps stock RPCs for services', () => {
    expect(() => assertService(service)).not.toThrow();
    expect(() => assertService(admin)).not.toThrow();
    catchAppError(() => assertService(user), 'PERMISSION_DENIED');
    catchAppError(() => assertService(undefined), 'UNAUTHENTICATED');
  });

  it('does not believe a user id in the request', () => {
    expect(actingUserId(user, 42)).toBe(42);
    expect(actingUserId(user, 0)).toBe(42);
    expect(actingUserId(user, undefined)).toBe(42);
    catchAppError(() => actingUserId(user, 43), 'PERMISSION_DENIED');
    expect(actingUserId(service, 43)).toBe(43);
    catchAppError(() => actingUserId(service, 0), 'VALIDATION_FAILED');
  });
});

describe('ids', () => {
  it.each(['listing', 'user', 'category', 'image', 'variant', 'product', 'storefront'] as const)(
    '%s ID must be greater than 0',
    (entity) => {
      for (const bad of [0, -1, 1.5, Number.NaN, '3']) {
        const v = new Violations();
        expect(checkEntityId(v, 'id', entity, bad)).toBeUndefined();
        expect(v.items[0]!.message).toBe(`${entity} ID must be greater than 0`);
      }
      const v = new Violations();
      expect(checkEntityId(v, 'id', entity, 2 ** 53)).toBeUndefined();
      expect(v.items[0]!.reason).toBe('out_of_range');
    },
  );
});

describe('product batches', () => {
  it('bounds create, update and delete with the dotted codes', () => {
    expect(catchAppError(() => checkBulkCreateSize(0), 'VALIDATION_FAILED').reason).toBe('products.bulk_empty');
    expect(catchAppError(() => checkBulkCreateSize(1001), 'VALIDATION_FAILED').reason).toBe('products.bulk_too_large');
    expect(() => checkBulkCreateSize(1000)).not.toThrow();
    expect(() => checkBulkUpdateSize(0)).not.toThrow();
    expect(catchAppError(() => checkBulkUpdateSize(1001), 'VALIDATION_FAILED').reason).toBe(
      'products.bulk_update_limit_exceeded',
    );
    expectViolation(
      () => checkBulkDeleteIds(Array.from({ length: 1001 }, (_, i) => i + 1)),
      'product_ids',
      'cannot delete more than 1000 products at once',
    );
    expect(checkBulkDeleteIds([3, 1, 3])).toEqual([3, 1]);
    expectViolation(() => checkBulkDeleteIds([1, 0]), 'product_ids[1]', 'product ID must be greater than 0');
  });

  it('bounds lookups', () => {
    expectViolation(() => checkSkuList([]), 'skus', 'SKU list cannot be empty');
    expectViolation(
      () => checkSkuList(Array.from({ length: 101 }, (_, i) => `s${i}`)),
      'skus',
      'cannot request more than 100 SKUs at once',
    );
    expect(checkSkuList([' a ', 'a', 'b', ''])).toEqual(['a', 'b']);
    expect(checkLookupIds([5, 5, 6])).toEqual([5, 6]);
  });

  it('finds SKUs repeated inside a batch and words the error like the original', () => {
    expect([...duplicateSkusInBatch(['A', null, 'B', ' A', 'B'])]).toEqual([
      [3, 0],
      [4, 2],
    ]);
    expect(skuDuplicateItem(3, 'A')).toEqual({
      index: 3,
      productId: null,
      errorCode: 'products.sku_duplicate',
      errorMessage: 'SKU A already exists in storefront',
    });
  });
});

describe('storefronts', () => {
  it('defaults and checks list options', () => {
    expect(validateStorefrontList({})).toEqual({
      filter: {},
      sortBy: 'created_at',
      sortOrder: 'desc',
      page: { limit: 20, offset: 0 },
    });
    expect(validateStorefrontList({ city: ' Niš ', sortBy: 'rating', sortOrder: 'ASC', limit: 500 })).toMatchObject({
      filter: { city: 'Niš' },
      sortBy: 'rating',
      sortOrder: 'asc',
      page: { limit: 100 },
    });
    expectViolation(() => validateStorefrontList({ sortBy: 'owner' }), 'sort_by', 'invalid sort_by: owner');
    expectViolation(() => validateSlug('  '), 'slug', 'slug is required');
  });
});

describe('retry backoff', () => {
  it('doubles per attempt with jitter, never below half, capped', () => {
    expect(retryDelayMs(1, 0)).toBe(1000);
    expect(retryDelayMs(1, 0.999999)).toBe(2000);
    expect(retryDelayMs(2, 0)).toBe(2000);
    expect(retryDelayMs(3, 0.5)).toBe(6000);
    expect(retryDelayMs(50, 1)).toBe(600_000);
  });
});
