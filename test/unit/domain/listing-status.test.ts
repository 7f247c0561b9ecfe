import { describe, expect, it } from 'vitest';
import {
  ALLOWED_TRANSITIONS,
  assertTransition,
  canTransition,
  LISTING_STATUSES,
  type ListingStatus,
} from '../../../src/domain/listing-status.ts';
import { catchAppError } from './support.ts';

const allowed: [ListingStatus, ListingStatus][] = [
  ['draft', 'active'],
  ['draft', 'archived'],
  ['active', 'inactive'],
  ['active', 'sold'],
  ['active', 'archived'],
  ['inactive', 'active'],
  ['inactive', 'archived'],
  ['sold', 'active'],
  ['sold', 'archived'],
];

describe('status transitions', () => {
  it.each(allowed)('%s → %s is allowed', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it('the table holds exactly these moves', () => {
    const table = Object.entries(ALLOWED_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => [from, to]));
    expect(table.sort()).toEqual([...allowed].sort());
  });

  it.each(LISTING_STATUSES)('%s → %s (unchanged) is a no-op, always allowed', (status) => {
    expect(canTransition(status, status)).toBe(true);
  });

  it.each([
    ['draft', 'inactive'],
    ['draft', 'sold'],
    ['active', 'draft'],
    ['inactive', 'sold'],
    ['inactive', 'draft'],
    ['sold', 'inactive'],
    ['sold', 'draft'],
    ['archived', 'active'],
    ['archived', 'draft'],
    ['archived', 'inactive'],
    ['archived', 'sold'],
  ] as [ListingStatus, ListingStatus][])('%s → %s is refused with INVALID_STATE', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    const error = catchAppError(() => assertTransition(from, to), 'INVALID_STATE');
    expect(error.message).toBe(`cannot change status from ${from} to ${to}`);
    expect(error.reason).toBe('listings.invalid_status_transition');
  });
});
