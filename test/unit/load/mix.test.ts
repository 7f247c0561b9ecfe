import { describe, expect, it } from 'vitest';
import { MIX, type Operation, pickOperation, pickTransport } from '../../../bench/load/mix.ts';

/** The operation of each of `n` evenly spread draws over [0, 1). */
function spread(n: number): Map<Operation, number> {
  const counts = new Map<Operation, number>();
  for (let i = 0; i < n; i++) {
    const operation = pickOperation(MIX, (i + 0.5) / n);
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
  }
  return counts;
}

describe('pickOperation', () => {
  it('gives each operation its share of the draws: 60 % reads by id, 25 % search, 10 % list, 5 % writes', () => {
    const counts = spread(1_000);
    expect(Object.fromEntries(counts)).toEqual({
      GetListing: 600,
      SearchListings: 250,
      ListListings: 100,
      CreateListing: 25,
      UpdateListing: 25,
    });
  });

  it('lays the shares out in order over [0, 1)', () => {
    expect(pickOperation(MIX, 0)).toBe('GetListing');
    expect(pickOperation(MIX, 0.5999)).toBe('GetListing');
    expect(pickOperation(MIX, 0.6)).toBe('SearchListings');
    expect(pickOperation(MIX, 0.85)).toBe('ListListings');
    expect(pickOperation(MIX, 0.95)).toBe('CreateListing');
    expect(pickOperation(MIX, 0.975)).toBe('UpdateListing');
    expect(pickOperation(MIX, 0.999999999)).toBe('UpdateListing');
  });

  it('takes shares relative to their total, so they need not add up to 100', () => {
    const mix = [
      { operation: 'GetListing' as const, percent: 1 },
      { operation: 'ListListings' as const, percent: 3 },
    ];
    expect(pickOperation(mix, 0.24)).toBe('GetListing');
    expect(pickOperation(mix, 0.26)).toBe('ListListings');
  });

  it('refuses an empty mix', () => {
    expect(() => pickOperation([], 0.5)).toThrow(/empty/);
  });
});

describe('pickTransport', () => {
  it('splits REST and gRPC at the given share', () => {
    expect(pickTransport(0.49)).toBe('rest');
    expect(pickTransport(0.5)).toBe('grpc');
    expect(pickTransport(0.1, 0.2)).toBe('rest');
    expect(pickTransport(0.3, 0.2)).toBe('grpc');
  });
});
