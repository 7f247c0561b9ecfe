import { describe, expect, it } from 'vitest';
import { refreshIntervalMs } from '../../../adapters/opensearch/refresh-interval.ts';

describe('refreshIntervalMs', () => {
  it.each([
    ['1s', 1000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1.5s', 1500],
    ['-1', 0],
    ['soon', 1000],
  ])('%s is %i ms', (value, expected) => {
    expect(refreshIntervalMs(value)).toBe(expected);
  });
});
