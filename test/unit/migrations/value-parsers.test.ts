import { describe, expect, it } from 'vitest';
import { parseDateAsUtc, parseInt8, parseTimestampAsUtc } from '../../../adapters/sql/value-parsers.ts';

describe('shared value parsers', () => {
  it('reads int8 as a number within ±2^53, else as a bigint', () => {
    expect(parseInt8('42')).toBe(42);
    expect(parseInt8('-9007199254740991')).toBe(-9007199254740991);
    expect(parseInt8('9007199254740992')).toBe(9007199254740992n);
    expect(parseInt8('-9223372036854775808')).toBe(-9223372036854775808n);
    // Either side of the 15-character fast path.
    expect(parseInt8('999999999999999')).toBe(999_999_999_999_999);
    expect(parseInt8('-99999999999999')).toBe(-99_999_999_999_999);
    expect(parseInt8('1000000000000000')).toBe(1_000_000_000_000_000);
    expect(parseInt8('0')).toBe(0);
  });

  it('reads naive timestamps and dates as UTC, whatever the process zone', () => {
    expect(parseTimestampAsUtc('2026-11-25 10:20:30.123456')).toEqual(new Date('2026-11-25T10:20:30.123Z'));
    expect(parseTimestampAsUtc('2026-11-25 10:20:30')).toEqual(new Date('2026-11-25T10:20:30.000Z'));
    expect(parseDateAsUtc('2026-11-25')).toEqual(new Date('2026-11-25T00:00:00.000Z'));
  });

  it('keeps infinities and BC years', () => {
    expect(parseTimestampAsUtc('infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(parseDateAsUtc('-infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect((parseTimestampAsUtc('0044-03-15 12:00:00 BC') as Date).getUTCFullYear()).toBe(-43);
  });
});
