import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../../adapters/memory/cache/memory-cache.ts';
import type { Clock } from '../../../../ports/clock.ts';
import { NO_METRICS } from '../../../../ports/core-metrics.ts';
import type { StockLevel } from '../../../../ports/inventory-repository.ts';
import { AppError } from '../../../../src/domain/errors.ts';
import { crossedLowStock, levelAfter, targetKey, uniqueTargets } from '../../../../src/inventory/stock-targets.ts';
import { invalidateAfterWrite, SEARCH_CACHE_NAMESPACE } from '../../../../src/products/cache-invalidation.ts';
import {
  assertNotCancelled,
  assertTimeForBatch,
  checkEveryHundred,
} from '../../../../src/products/operation-deadline.ts';
import { applyVariantMask } from '../../../../src/products/variant-mask.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const clock: Clock = { now: () => new Date(NOW), monotonicMs: () => 0 };

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('nothing was thrown');
}

describe('batch time budget', () => {
  it('refuses to start with less than 5 s left, in the original words', () => {
    const error = thrown(() => assertTimeForBatch(clock, { deadline: NOW + 4_999 }, 'bulk delete'));
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(error.message).toBe('insufficient time remaining for bulk delete operation');
    expect(thrown(() => assertTimeForBatch(clock, { deadline: NOW + 1_000 }, 'batch')).message).toBe(
      'insufficient time remaining for batch operation',
    );
  });

  it('starts with 5 s or more left, or without a deadline', () => {
    expect(() => assertTimeForBatch(clock, { deadline: NOW + 5_000 }, 'batch')).not.toThrow();
    expect(() => assertTimeForBatch(clock, {}, 'batch')).not.toThrow();
    expect(() => assertTimeForBatch(clock, undefined, 'batch')).not.toThrow();
  });

  it('refuses to start when the caller already gave up', () => {
    const controller = new AbortController();
    controller.abort();
    expect(thrown(() => assertTimeForBatch(clock, { signal: controller.signal }, 'batch')).code).toBe(
      'DEADLINE_EXCEEDED',
    );
  });

  it('looks at the signal and the deadline every 100 items only', () => {
    const controller = new AbortController();
    controller.abort();
    const options = { signal: controller.signal };
    for (const index of [0, 1, 99, 101, 250]) {
      expect(() => checkEveryHundred(clock, options, index, 'stop')).not.toThrow();
    }
    for (const index of [100, 200, 900]) {
      const error = thrown(() => checkEveryHundred(clock, options, index, 'operation cancelled during validation'));
      expect([error.code, error.message]).toEqual(['DEADLINE_EXCEEDED', 'operation cancelled during validation']);
    }
    expect(() => assertNotCancelled(clock, { deadline: NOW + 1 }, 'stop')).not.toThrow();
    expect(() => assertNotCancelled(clock, { deadline: NOW }, 'stop')).toThrow('stop');
  });
});

describe('variant update mask', () => {
  const patch = { sku: 'A', price: 12.5, stockQuantity: 3, isDefault: true };

  it('applies every present field without a mask', () => {
    expect(applyVariantMask(patch, undefined)).toBe(patch);
    expect(applyVariantMask(patch, [])).toBe(patch);
  });

  it('keeps the present fields the mask names, in proto or camel case', () => {
    expect(applyVariantMask(patch, ['stock_quantity', 'isDefault', 'weight'])).toEqual({
      stockQuantity: 3,
      isDefault: true,
    });
  });

  it('rejects unknown paths', () => {
    const error = thrown(() => applyVariantMask(patch, ['colour']));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.violations).toEqual([
      { field: 'update_mask', reason: 'unknown_value', message: 'unknown field mask path: colour' },
    ]);
  });
});

describe('stock targets', () => {
  it('orders and de-duplicates targets as locks are taken', () => {
    const targets = uniqueTargets([
      { productId: 5, variantId: 2 },
      { productId: 3, variantId: null },
      { productId: 5, variantId: null },
      { productId: 5, variantId: 2 },
      { productId: 5, variantId: 1 },
    ]);
    expect(targets.map(targetKey)).toEqual(['3:0', '5:0', '5:1', '5:2']);
  });

  const level = (quantity: number, stockStatus: StockLevel['stockStatus'], variantId: number | null = null) => ({
    target: { productId: 1, variantId },
    quantity,
    stockStatus,
    storefrontId: 1,
  });

  it('signals low stock when a change crosses down to the threshold', () => {
    expect(crossedLowStock(level(10, 'in_stock'), 5)).toBe(true);
    expect(crossedLowStock(level(10, 'in_stock'), 0)).toBe(true);
    expect(crossedLowStock(level(10, 'in_stock'), 6)).toBe(false);
    expect(crossedLowStock(level(4, 'low_stock'), 3)).toBe(false);
    expect(crossedLowStock(level(3, 'in_stock'), 4)).toBe(false);
  });

  it('follows the stock status rules after a write', () => {
    expect(levelAfter(level(10, 'in_stock'), 3).stockStatus).toBe('low_stock');
    expect(levelAfter(level(10, 'in_stock'), 0).stockStatus).toBe('out_of_stock');
    expect(levelAfter(level(10, 'discontinued'), 0).stockStatus).toBe('discontinued');
    expect(levelAfter(level(1, 'low_stock', 7), 9).stockStatus).toBe('in_stock');
  });
});

describe('cache invalidation after a write', () => {
  it('drops each listing once and bumps the search generation', async () => {
    const cache = new MemoryCache();
    const invalidated: number[][] = [];
    const listingCache = {
      async invalidate(ids: number | readonly number[]) {
        invalidated.push(typeof ids === 'number' ? [ids] : [...ids]);
      },
    };
    const before = await cache.generation(SEARCH_CACHE_NAMESPACE);
    await invalidateAfterWrite({ cache, listingCache, metrics: NO_METRICS }, [4, 2, 4]);
    expect(invalidated).toEqual([[4, 2]]);
    expect(await cache.generation(SEARCH_CACHE_NAMESPACE)).toBeGreaterThan(before!);
  });

  it('leaves search alone when asked, and does nothing for no ids', async () => {
    const cache = new MemoryCache();
    let calls = 0;
    const listingCache = {
      async invalidate() {
        calls++;
      },
    };
    const before = await cache.generation(SEARCH_CACHE_NAMESPACE);
    await invalidateAfterWrite({ cache, listingCache, metrics: NO_METRICS }, [1], { search: false });
    await invalidateAfterWrite({ cache, listingCache, metrics: NO_METRICS }, []);
    expect(calls).toBe(1);
    expect(await cache.generation(SEARCH_CACHE_NAMESPACE)).toBe(before);
  });

  it('survives a listing cache that throws', async () => {
    const errors: string[] = [];
    const metrics = { ...NO_METRICS, componentError: (_: string, type: string) => errors.push(type) };
    const listingCache = {
      invalidate: () => Promise.reject(new Error('down')),
    };
    await invalidateAfterWrite({ cache: new MemoryCache(), listingCache, metrics }, [1]);
    expect(errors).toEqual(['listing_invalidate_failed']);
  });
});
