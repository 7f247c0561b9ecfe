import { describe, expect, it } from 'vitest';
import { fromMicros, OutcomeRegistry, toMicros } from '../../../src/monolith-migration/outcome-registry.ts';

describe('OutcomeRegistry', () => {
  it('answers what was registered, for ids in keyset order, across growth', () => {
    const registry = new OutcomeRegistry();
    for (let id = 1; id <= 5000; id += 2) {
      registry.set(
        id,
        id % 3 === 0 ? { state: 'rejected' } : { state: 'migrated', createdAt: '2025-10-20T17:38:47.121733Z' },
      );
    }
    expect(registry.size).toBe(2500);
    expect(registry.get(3)).toEqual({ state: 'rejected' });
    expect(registry.get(4999)).toEqual({ state: 'migrated', createdAt: '2025-10-20T17:38:47.121733Z' });
    expect(registry.get(2)).toBeUndefined();
    expect(registry.get(5001)).toBeUndefined();
  });

  it('keeps created_at exactly, microseconds included, and texts it cannot encode as they are', () => {
    const registry = new OutcomeRegistry();
    registry.set(1, { state: 'migrated', createdAt: '1999-12-31T23:59:59.999999Z' });
    registry.set(2, { state: 'migrated', createdAt: 'infinity' });
    registry.set(3, { state: 'migrated', createdAt: null });
    registry.set(4, { state: 'migrated', createdAt: '0001-01-01T00:00:00.000001Z' });
    expect(registry.get(1)).toEqual({ state: 'migrated', createdAt: '1999-12-31T23:59:59.999999Z' });
    expect(registry.get(2)).toEqual({ state: 'migrated', createdAt: 'infinity' });
    expect(registry.get(3)).toEqual({ state: 'migrated', createdAt: null });
    expect(registry.get(4)).toEqual({ state: 'migrated', createdAt: '0001-01-01T00:00:00.000001Z' });
  });

  it('overwrites an id registered again, and keeps an out-of-order id aside', () => {
    const registry = new OutcomeRegistry();
    registry.set(10, { state: 'migrated', createdAt: '2025-01-01T00:00:00.000000Z' });
    registry.set(20, { state: 'migrated', createdAt: '2025-01-01T00:00:00.000000Z' });
    registry.set(10, { state: 'rejected' });
    registry.set(15, { state: 'migrated', createdAt: '2025-02-01T00:00:00.000000Z' });
    expect(registry.get(10)).toEqual({ state: 'rejected' });
    expect(registry.get(15)).toEqual({ state: 'migrated', createdAt: '2025-02-01T00:00:00.000000Z' });
  });

  it('converts canonical UTC text to microseconds and back', () => {
    for (const text of ['2025-10-20T17:38:47.121733Z', '1970-01-01T00:00:00.000000Z', '1969-12-31T23:59:59.000001Z']) {
      expect(fromMicros(toMicros(text))).toBe(text);
    }
    expect(Number.isNaN(toMicros('2025-10-20 17:38:47'))).toBe(true);
  });
});
