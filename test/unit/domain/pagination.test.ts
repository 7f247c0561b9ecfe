import { describe, expect, it } from 'vitest';
import { validateListListings, validateSearchListings } from '../../../src/domain/listing-query.ts';
import {
  checkPageNumber,
  decodeCursor,
  encodeCursor,
  favoritesLimit,
  filterFingerprint,
  popularCategoriesLimit,
  reindexBatchSize,
} from '../../../src/domain/pagination.ts';
import { Violations } from '../../../src/domain/validation.ts';
import { catchAppError, expectViolation, violationsOf } from './support.ts';

describe('offset paging and filters', () => {
  const list = (patch: object) => () => validateListListings({ limit: 20, offset: 0, ...patch });

  it('keeps the original texts', () => {
    expectViolation(list({ limit: 0 }), 'limit', 'limit must be greater than 0');
    expectViolation(list({ limit: 101 }), 'limit', 'limit must not exceed 100');
    expectViolation(list({ offset: -1 }), 'offset', 'offset cannot be negative');
    expectViolation(list({ minPrice: 20, maxPrice: 10 }), 'min_price', 'min_price cannot be greater than max_price');
    expectViolation(list({ status: 'gone' }), 'status', 'invalid status: gone');
    expectViolation(list({ userId: 0 }), 'user_id', 'user ID must be greater than 0');
  });

  it('reports all paging problems together', () => {
    expect(violationsOf(list({ limit: 0, offset: -2, minPrice: 5, maxPrice: 1 })).map((v) => v.field)).toEqual([
      'limit',
      'offset',
      'min_price',
    ]);
  });

  it('returns the filter with prices in minor units', () => {
    expect(
      validateListListings({ limit: 100, offset: 40, categoryId: 3, status: 'active', minPrice: 0, maxPrice: 9.99 }),
    ).toEqual({
      page: { limit: 100, offset: 40 },
      filter: { categoryId: 3, status: 'active', price: { min: 0, max: 999 } },
    });
  });

  it('allows an empty search query but not one character', () => {
    expect(validateSearchListings({ query: '  ', limit: 10, offset: 0 }).text).toBe('');
    expectViolation(
      () => validateSearchListings({ query: 'a', limit: 10, offset: 0 }),
      'query',
      'search query must be at least 2 characters',
    );
    expect(validateSearchListings({ query: ' tv ', limit: 10, offset: 0, categoryId: 2 })).toEqual({
      text: 'tv',
      categoryId: 2,
      page: { limit: 10, offset: 0 },
    });
  });

  it('pages ListProducts by number', () => {
    const v = new Violations();
    expect(checkPageNumber(v, 3, 25)).toEqual({ limit: 25, offset: 50 });
    checkPageNumber(v, 0, 0);
    expect(v.items.map((item) => item.message)).toEqual([
      'page must be greater than 0',
      'page size must be between 1 and 100',
    ]);
  });

  it('clamps where the original clamped', () => {
    expect([
      popularCategoriesLimit(0),
      popularCategoriesLimit(-1),
      popularCategoriesLimit(50),
      popularCategoriesLimit(500),
    ]).toEqual([10, 10, 50, 100]);
    expect([reindexBatchSize(0), reindexBatchSize(250), reindexBatchSize(5000)]).toEqual([100, 250, 1000]);
    expect([favoritesLimit(undefined), favoritesLimit(7), favoritesLimit(1000)]).toEqual([20, 7, 100]);
  });
});

describe('cursors', () => {
  const scope = { sort: 'listings:created_at_desc,id_desc', fingerprint: filterFingerprint({ categoryId: 3 }) };
  const keyset = ['2026-01-02T03:04:05.123Z', 42] as const;

  it('round-trips as opaque base64url text', () => {
    const cursor = encodeCursor(scope, keyset);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, scope, 2)).toEqual(keyset);
  });

  it('round-trips non-ASCII and null keys', () => {
    const cursor = encodeCursor(scope, ['Čačak ☕', null, 7]);
    expect(decodeCursor(cursor, scope, 3)).toEqual(['Čačak ☕', null, 7]);
  });

  it('rejects an edited cursor', () => {
    const cursor = encodeCursor(scope, keyset);
    const json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...json, k: [json.k[0], 1] })).toString('base64url');
    expect(catchAppError(() => decodeCursor(forged, scope, 2), 'VALIDATION_FAILED').violations[0]!.field).toBe(
      'cursor',
    );
  });

  it('rejects a changed character, truncation and garbage', () => {
    const cursor = encodeCursor(scope, keyset);
    const flipped = cursor.slice(0, 10) + (cursor[10] === 'A' ? 'B' : 'A') + cursor.slice(11);
    for (const bad of [flipped, cursor.slice(0, -3), '', 'not a cursor!', 'e30']) {
      catchAppError(() => decodeCursor(bad, scope, 2), 'VALIDATION_FAILED');
    }
  });

  it('rejects a cursor of another sort, other filters or another key shape', () => {
    const cursor = encodeCursor(scope, keyset);
    catchAppError(() => decodeCursor(cursor, { ...scope, sort: 'listings:id_asc' }, 2), 'VALIDATION_FAILED');
    catchAppError(
      () => decodeCursor(cursor, { ...scope, fingerprint: filterFingerprint({ categoryId: 4 }) }, 2),
      'VALIDATION_FAILED',
    );
    catchAppError(() => decodeCursor(cursor, scope, 3), 'VALIDATION_FAILED');
  });

  it('fingerprints filters independently of key order and unset values', () => {
    expect(filterFingerprint({ a: 1, b: 'x', c: undefined })).toBe(filterFingerprint({ b: 'x', a: 1, d: null }));
    expect(filterFingerprint({ a: 1 })).not.toBe(filterFingerprint({ a: 2 }));
  });
});
