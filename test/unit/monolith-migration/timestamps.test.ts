import { describe, expect, it } from 'vitest';
import {
  isKnownZone,
  naiveToUtc,
  TimestampRangeError,
  tstzToUtc,
} from '../../../src/monolith-migration/mapping/timestamps.ts';

// Expected values below were produced by PostgreSQL 15 (`ts AT TIME ZONE zone`); the integration test
// test/integration/monolith-migration/naive-to-utc.test.ts compares thousands more against the live server.
describe('naive timestamps → UTC (§3.0.3)', () => {
  it('keeps microseconds and writes 6 fraction digits and Z', () => {
    expect(naiveToUtc('2025-10-20 17:38:47.121733', 'UTC')).toEqual({
      utc: '2025-10-20T17:38:47.121733Z',
      ambiguous: false,
    });
    expect(naiveToUtc('2025-10-20 17:38:47', 'UTC').utc).toBe('2025-10-20T17:38:47.000000Z');
    expect(naiveToUtc('2025-10-20 17:38:47.5', 'UTC').utc).toBe('2025-10-20T17:38:47.500000Z');
  });

  it('reads wall-clock time in the source zone', () => {
    expect(naiveToUtc('2025-07-01 12:00:00.000001', 'Europe/Belgrade').utc).toBe('2025-07-01T10:00:00.000001Z');
    expect(naiveToUtc('2025-01-01 00:30:00', 'Europe/Belgrade').utc).toBe('2024-12-31T23:30:00.000000Z');
  });

  it('resolves a spring-forward gap with the offset before it, and counts it', () => {
    // 02:30 does not exist in Belgrade on 2025-03-30: PostgreSQL reads it as 02:30 CET = 01:30 UTC.
    expect(naiveToUtc('2025-03-30 02:30:00', 'Europe/Belgrade')).toEqual({
      utc: '2025-03-30T01:30:00.000000Z',
      ambiguous: true,
    });
  });

  it('resolves a fall-back overlap as standard time (the later instant), and counts it', () => {
    expect(naiveToUtc('2025-10-26 02:30:00', 'Europe/Belgrade')).toEqual({
      utc: '2025-10-26T01:30:00.000000Z',
      ambiguous: true,
    });
    // Moscow 2014-10-26: 02:00 → 01:00 with both offsets called standard time; PostgreSQL takes the later (+03).
    expect(naiveToUtc('2014-10-26 01:30:00', 'Europe/Moscow')).toEqual({
      utc: '2014-10-25T22:30:00.000000Z',
      ambiguous: true,
    });
  });

  it('does not count times just outside a transition', () => {
    expect(naiveToUtc('2025-03-30 03:00:00', 'Europe/Belgrade')).toEqual({
      utc: '2025-03-30T01:00:00.000000Z',
      ambiguous: false,
    });
    expect(naiveToUtc('2025-10-26 03:00:00', 'Europe/Belgrade')).toEqual({
      utc: '2025-10-26T02:00:00.000000Z',
      ambiguous: false,
    });
  });

  it('uses local mean time with seconds before standard zones (Moscow 1900: +02:30:17)', () => {
    expect(naiveToUtc('1900-01-01 12:00:00', 'Europe/Moscow').utc).toBe('1900-01-01T09:29:43.000000Z');
  });

  it('reads every fraction length and either separator as the zone-suffixed form is read', () => {
    // Naive values take a digit-by-digit path; a value with a zone suffix still goes through the pattern.
    const values = [
      '0001-01-01 00:00:00',
      '1969-12-31 23:59:59.999999',
      '2024-02-29T12:00:00.1',
      '2025-10-20 17:38:47.12',
      '2025-10-20 17:38:47.123',
      '2025-10-20 17:38:47.1234',
      '2025-10-20 17:38:47.12345',
      '2025-10-20 17:38:47.000001',
      '9999-12-31 23:59:59.999999',
    ];
    for (const text of values) expect(naiveToUtc(text, 'UTC').utc).toBe(tstzToUtc(`${text}+00`));
    expect(naiveToUtc('2025-10-20 17:38:47.12', 'UTC').utc).toBe('2025-10-20T17:38:47.120000Z');
    for (const bad of ['2025-10-20 17:38:47.', '2025-10-20 17:3a:47', '2025-10-20 24:00:00', '2025-00-10 10:00:00']) {
      expect(() => naiveToUtc(bad, 'UTC'), bad).toThrow(TimestampRangeError);
    }
  });

  it('passes infinity through and rejects what PostgreSQL ISO output never looks like', () => {
    expect(naiveToUtc('infinity', 'Europe/Belgrade').utc).toBe('infinity');
    expect(() => naiveToUtc('0044-03-15 12:00:00 BC', 'UTC')).toThrow(TimestampRangeError);
    expect(() => naiveToUtc('2025-13-01 00:00:00', 'UTC')).toThrow(TimestampRangeError);
  });
});

describe('timestamptz → UTC', () => {
  it.each([
    ['2025-10-22 09:15:00.5+00', '2025-10-22T09:15:00.500000Z'],
    ['2025-10-22 11:15:00.123456+02', '2025-10-22T09:15:00.123456Z'],
    ['2025-10-22 03:45:00-05:30', '2025-10-22T09:15:00.000000Z'],
    ['1900-01-01 02:30:17+02:30:17', '1900-01-01T00:00:00.000000Z'],
    ['2025-01-01 00:30:00+01', '2024-12-31T23:30:00.000000Z'],
  ])('%s is %s', (text, expected) => {
    expect(tstzToUtc(text)).toBe(expected);
  });
});

describe('source zone names', () => {
  it('knows IANA names and refuses others', () => {
    expect(isKnownZone('Europe/Belgrade')).toBe(true);
    expect(isKnownZone('UTC')).toBe(true);
    expect(isKnownZone('Mars/Olympus')).toBe(false);
  });
});
