import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../adapters/config/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['2h45m30s', 9_930_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 'abc', '5 m', '-5s', '5mm', 's5', '1d'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats back to the shortest whole unit', () => {
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(250)).toBe('250ms');
  });
});
