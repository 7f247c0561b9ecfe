import { describe, expect, it } from 'vitest';
import { fixtureContext } from '../../fixtures/monolith/generator/context.ts';
import { copyLine } from '../../fixtures/monolith/generator/copy-text.ts';
import { FORCED_B2C, FORCED_C2C } from '../../fixtures/monolith/generator/forced.ts';
import { Random, unitsToDecimal } from '../../fixtures/monolith/generator/random.ts';
import { geohash } from '../../fixtures/monolith/generator/tables/geo.ts';
import { tstz, ZoneClock } from '../../fixtures/monolith/generator/time.ts';

const micros = (iso: string, extra = 0) => Date.parse(iso) * 1000 + extra;

describe('monolith fixture primitives', () => {
  it('writes naive values as the wall-clock time of the zone, microseconds kept', () => {
    const belgrade = new ZoneClock('Europe/Belgrade');
    expect(belgrade.naive(micros('2025-07-01T10:00:00.123Z', 456))).toBe('2025-07-01 12:00:00.123456');
    expect(belgrade.naive(micros('2025-01-15T23:30:00Z', 1))).toBe('2025-01-16 00:30:00.000001');
    expect(new ZoneClock('UTC').naive(micros('2025-07-01T10:00:00Z'))).toBe('2025-07-01 10:00:00.000000');
    expect(tstz(micros('2024-02-29T23:59:59.999Z', 999))).toBe('2024-02-29 23:59:59.999999+00');
  });

  it('finds the local times a DST change makes ambiguous and nonexistent', () => {
    expect(new ZoneClock('Europe/Belgrade').dstExamples(2025)).toEqual({
      ambiguous: '2025-10-26 02:30:00.250001',
      nonexistent: '2025-03-30 02:30:00.750003',
    });
    expect(new ZoneClock('UTC').dstExamples(2025)).toBeNull();
  });

  it('escapes COPY text: backslash, tab, newline, carriage return; NULL as \\N; JSON as text', () => {
    expect(copyLine(['a\\b\tc\nd\re', null, 3, true, { k: 'ž\t' }])).toBe(
      'a\\\\b\\tc\\nd\\re\t\\N\t3\tt\t{"k":"ž\\\\t"}\n',
    );
  });

  it('draws the same numbers from the same seed, salt and key, other numbers otherwise', () => {
    const draw = (seed: number, key: number) => {
      const random = new Random(seed, 7, key);
      return Array.from({ length: 4 }, () => random.nextUint32());
    };
    expect(draw(1, 10)).toEqual(draw(1, 10));
    expect(new Random(1, 7, 10).nextUint32()).not.toBe(new Random(2, 7, 10).nextUint32());
    expect(new Random(1, 7, 10).nextUint32()).not.toBe(new Random(1, 7, 11).nextUint32());
    expect(unitsToDecimal(-5, 2)).toBe('-0.05');
    expect(unitsToDecimal(4481254321, 8)).toBe('44.81254321');
  });

  it('computes standard geohashes', () => {
    expect(geohash(57.64911, 10.40744, 11)).toBe('u4pruydqqvj');
  });

  it('puts every forced quirk in the head of the id sequence, the empty title below id 10', () => {
    const context = fixtureContext({ rows: 200, seed: 5 });
    const forced = [...context.forcedListings.entries()];
    expect(forced.map(([, key]) => key).sort()).toEqual([...FORCED_C2C, ...FORCED_B2C].sort());
    expect(forced.find(([, key]) => key === 'title.empty')?.[0]).toBeLessThan(10);
    expect(context.globalSequenceValue).toBeGreaterThan(Math.max(...forced.map(([id]) => id)));
    expect(fixtureContext({ rows: 200, seed: 6 }).forcedListings).toEqual(context.forcedListings);
  });
});
