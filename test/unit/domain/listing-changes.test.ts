import { describe, expect, it } from 'vitest';
import { type Listing, validateCreateListing } from '../../../src/domain/listing.ts';
import { applyListingChanges, parseListingPatch } from '../../../src/domain/listing-changes.ts';
import { catchAppError, expectViolation, violationsOf } from './support.ts';

const created = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-02-01T00:00:00Z');
const muchLater = new Date('2026-03-01T00:00:00Z');

function listing(overrides: Partial<Listing> = {}): Listing {
  const row = validateCreateListing(
    { userId: 1, title: 'Old chair', price: 10, currency: 'RSD', categoryId: 2, quantity: 4 },
    { uuid: 'u', now: created },
  );
  return { ...row, id: 5, version: 1, ...overrides };
}

describe('parseListingPatch', () => {
  it('needs at least one field', () => {
    const violation = expectViolation(
      () => parseListingPatch({}),
      '',
      'at least one field must be provided for update',
    );
    expect(violation.reason).toBe('empty_update');
  });

  it('keeps the original texts', () => {
    expectViolation(() => parseListingPatch({ title: '  ' }), 'title', 'title cannot be empty');
    expectViolation(() => parseListingPatch({ status: 'deleted' }), 'status', 'invalid status: deleted');
    expectViolation(() => parseListingPatch({ price: 0 }), 'price', 'price must be greater than 0');
    expectViolation(() => parseListingPatch({ quantity: -1 }), 'quantity', 'quantity cannot be negative');
  });

  it('reports all bad fields together', () => {
    const fields = violationsOf(() => parseListingPatch({ title: 'a', price: 1.234, status: 'x' })).map((v) => v.field);
    expect(fields).toEqual(['title', 'price', 'status']);
  });

  it('returns normalised values of the present fields only', () => {
    expect(parseListingPatch({ title: ' New chair ', price: '12.50', description: '' })).toEqual({
      title: 'New chair',
      price: 1250,
      description: null,
    });
  });
});

describe('applyListingChanges', () => {
  it('keeps only what differs', () => {
    const result = applyListingChanges(listing(), parseListingPatch({ title: 'Old chair', price: 11 }), later);
    expect(result.update).toEqual({ price: 1100 });
    expect(result.changed).toEqual(['price']);
  });

  it('an update that changes nothing is empty', () => {
    expect(applyListingChanges(listing(), { title: 'Old chair' }, later)).toEqual({ update: {}, changed: [] });
  });

  it('stamps published_at on each transition into active, not on active → active', () => {
    const first = applyListingChanges(listing(), { status: 'active' }, later);
    expect(first.update).toEqual({ status: 'active', publishedAt: later });
    const active = listing({ status: 'active', publishedAt: later });
    expect(applyListingChanges(active, { status: 'active' }, muchLater).update).toEqual({});
    const paused = listing({ status: 'inactive', publishedAt: later });
    expect(applyListingChanges(paused, { status: 'active' }, muchLater).update.publishedAt).toEqual(muchLater);
  });

  it('refuses forbidden transitions', () => {
    const archived = listing({ status: 'archived' });
    const error = catchAppError(() => applyListingChanges(archived, { status: 'active' }, later), 'INVALID_STATE');
    expect(error.reason).toBe('listings.invalid_status_transition');
  });

  it('recomputes stock_status when the quantity changes', () => {
    const product = listing({ sourceType: 'b2c', storefrontId: 3, quantity: 10, stockStatus: 'in_stock' });
    expect(applyListingChanges(product, { quantity: 2 }, later).update).toEqual({
      quantity: 2,
      stockStatus: 'low_stock',
    });
    expect(applyListingChanges(product, { quantity: 0 }, later).update).toEqual({
      quantity: 0,
      stockStatus: 'out_of_stock',
    });
    const c2c = listing({ quantity: 10 });
    expect(applyListingChanges(c2c, { quantity: 2 }, later).update).toEqual({ quantity: 2 });
    const discontinued = listing({ stockStatus: 'discontinued' });
    expect(applyListingChanges(discontinued, { quantity: 0 }, later).update).toEqual({ quantity: 0 });
  });

  it('treats equal attribute objects as unchanged', () => {
    const row = listing({ attributes: { color: 'red', size: 2 } });
    expect(applyListingChanges(row, { attributes: { size: 2, color: 'red' } }, later).update).toEqual({});
    expect(applyListingChanges(row, { attributes: { color: 'blue' } }, later).changed).toEqual(['attributes']);
  });

  it('treats a deleted row as missing', () => {
    catchAppError(
      () => applyListingChanges(listing({ isDeleted: true }), { title: 'abc' }, later),
      'LISTING_NOT_FOUND',
    );
  });
});
