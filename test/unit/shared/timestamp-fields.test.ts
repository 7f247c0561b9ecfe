import { describe, expect, it } from 'vitest';
import { readTimestampFields } from '../../../src/shared/timestamp-fields.ts';

const read = (text: string, allowT = false) => readTimestampFields(text, text.length, allowT);

describe('readTimestampFields', () => {
  it('reads the fields and scales 0 to 6 fraction digits to microseconds', () => {
    expect(read('2026-11-25 10:20:30')).toEqual({
      year: 2026,
      month: 11,
      day: 25,
      hour: 10,
      minute: 20,
      second: 30,
      micros: 0,
    });
    expect(read('2026-11-25 10:20:30.5')?.micros).toBe(500_000);
    expect(read('2026-11-25 10:20:30.1234')?.micros).toBe(123_400);
    expect(read('2026-11-25 10:20:30.000001')?.micros).toBe(1);
  });

  it('reads up to `end` only (a zone suffix left to the caller)', () => {
    const text = '2026-11-25 10:20:30.25+00';
    expect(readTimestampFields(text, text.length - 3, false)?.micros).toBe(250_000);
    expect(read(text)).toBeNull();
  });

  it('takes T between date and time only when asked', () => {
    expect(read('2026-11-25T10:20:30')).toBeNull();
    expect(read('2026-11-25T10:20:30', true)?.hour).toBe(10);
  });

  it('returns null for another shape or a character that is not a digit, and checks no range', () => {
    for (const text of [
      '2026-11-25 10:20:30.',
      '2026-11-25 10:20:30.1234567',
      '2026-1-25 10:20:30',
      '2026-11-2x 10:20:30',
    ]) {
      expect(read(text), text).toBeNull();
    }
    expect(read('2026-13-45 25:61:61')).toMatchObject({ month: 13, day: 45, hour: 25, minute: 61, second: 61 });
  });
});
