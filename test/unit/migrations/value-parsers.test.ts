import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresTypes } from '../../../adapters/postgres/type-parsers.ts';
import { parseDateAsUtc, parseInt8, parseTimestampAsUtc, utcWallTime } from '../../../adapters/sql/value-parsers.ts';

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

  it('reads the plain form digit by digit to the same Date as an ISO string gives', () => {
    for (const text of [
      '2026-11-25 10:20:30',
      '2026-11-25 10:20:30.1',
      '2026-11-25 10:20:30.12',
      '2026-11-25 10:20:30.123',
      '2026-11-25 10:20:30.1239',
      '2026-11-25 10:20:30.12399',
      '2026-11-25 23:59:59.999999',
      '2024-02-29 00:00:00',
      '1000-01-01 00:00:00',
      '9999-12-31 23:59:59.5',
    ]) {
      expect(utcWallTime(text, text.length), text).toEqual(new Date(`${text.replace(' ', 'T').slice(0, 23)}Z`));
      expect(parseTimestampAsUtc(text), text).toEqual(new Date(`${text.replace(' ', 'T').slice(0, 23)}Z`));
    }
    // Anything else goes to the general parsers.
    for (const text of [
      '2026-11-25T10:20:30',
      '2026-11-25 10:20:30.',
      '2026-11-25 10:20:30.1234567',
      '2026-13-01 00:00:00',
      '2025-02-29 00:00:00',
      '2026-11-25 24:00:00',
      '0999-01-01 00:00:00',
      '12026-01-01 00:00:00',
      '2026-11-25 10:20:3x',
      '2026-11-25 10:20:30 BC',
    ]) {
      expect(utcWallTime(text, text.length), text).toBeUndefined();
    }
  });

  it("reads node-postgres's TIMESTAMPTZ as its own parser does, the UTC form by the fast path", () => {
    const ours = postgresTypes.getTypeParser(1184 as never, 'text') as (text: string) => unknown;
    const theirs = pg.types.getTypeParser(1184 as never, 'text') as (text: string) => unknown;
    for (const text of [
      '2026-11-25 10:20:30+00',
      '2026-11-25 10:20:30.123456+00',
      '2026-11-25 10:20:30.5+00',
      '2026-11-25 10:20:30.123+05:30',
      '2026-11-25 10:20:30-08',
      '0044-03-15 12:00:00+00 BC',
      '0050-01-01 00:00:00+00',
      'infinity',
      '-infinity',
    ]) {
      expect(ours(text), text).toEqual(theirs(text));
    }
  });
});
