import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, isoWeek, type RetentionCandidate, selectRetained } from '../../../src/backup/retention.ts';

const at = (iso: string, verified = false): RetentionCandidate => ({ id: iso, createdAt: new Date(iso), verified });

describe('isoWeek', () => {
  it.each([
    ['2026-01-01T12:00:00Z', '2026-W01'], // a Thursday: week 1 of its own year
    ['2025-12-29T00:00:00Z', '2026-W01'], // Monday of that week, still in December
    ['2027-01-01T00:00:00Z', '2026-W53'], // a Friday: the last week of 2026
    ['2026-11-23T00:00:00Z', '2026-W48'], // Monday
    ['2026-11-29T23:59:59Z', '2026-W48'], // Sunday
    ['2026-11-30T00:00:00Z', '2026-W49'],
  ])('%s is in %s', (iso, week) => {
    expect(isoWeek(new Date(iso))).toBe(week);
  });
});

describe('selectRetained (grandfather-father-son)', () => {
  it('keeps the newest of each of the last days, ISO weeks and months that have backups', () => {
    const backups = [
      at('2026-11-25T10:00:00Z'),
      at('2026-11-25T02:00:00Z'),
      at('2026-11-24T02:00:00Z'),
      at('2026-11-16T02:00:00Z'), // week 47
      at('2026-11-09T02:00:00Z'), // week 46
      at('2026-10-02T02:00:00Z'),
      at('2026-09-02T02:00:00Z'),
    ];
    const kept = selectRetained(backups, { daily: 2, weekly: 3, monthly: 2 });
    expect(Object.fromEntries(kept)).toEqual({
      '2026-11-25T10:00:00Z': ['daily 2026-11-25', 'weekly 2026-W48', 'monthly 2026-11', 'newest'],
      '2026-11-24T02:00:00Z': ['daily 2026-11-24'],
      '2026-11-16T02:00:00Z': ['weekly 2026-W47'],
      '2026-11-09T02:00:00Z': ['weekly 2026-W46'],
      '2026-10-02T02:00:00Z': ['monthly 2026-10'],
    });
  });

  it('counts periods that have backups, so a pause does not empty the set', () => {
    const backups = [at('2026-11-25T02:00:00Z'), at('2026-06-01T02:00:00Z'), at('2026-01-10T02:00:00Z')];
    const kept = selectRetained(backups, { daily: 3, weekly: 0, monthly: 0 });
    expect([...kept.keys()]).toEqual(backups.map((b) => b.id));
  });

  it('never drops the newest or the newest verified, even with a zero policy', () => {
    const backups = [at('2026-11-25T02:00:00Z'), at('2026-11-20T02:00:00Z', true), at('2026-11-10T02:00:00Z', true)];
    const kept = selectRetained(backups, { daily: 0, weekly: 0, monthly: 0 });
    expect(Object.fromEntries(kept)).toEqual({
      '2026-11-25T02:00:00Z': ['newest'],
      '2026-11-20T02:00:00Z': ['newest verified'],
    });
  });

  it('keeps 7 + 4 + 12 distinct periods (21 backups at most) of a year of nightly backups with the defaults', () => {
    const backups: RetentionCandidate[] = [];
    for (let day = 0; day < 400; day += 1)
      backups.push(at(new Date(Date.UTC(2026, 10, 25, 2) - day * 86_400_000).toISOString()));
    const kept = selectRetained(backups, DEFAULT_RETENTION);
    // Days 0–6; weeks: the newest of this week is day 0 (counted), then 3 earlier Sundays; months: 12 month-ends.
    const reasons = [...kept.values()].flat();
    expect(reasons.filter((r) => r.startsWith('daily'))).toHaveLength(7);
    expect(reasons.filter((r) => r.startsWith('weekly'))).toHaveLength(4);
    expect(reasons.filter((r) => r.startsWith('monthly'))).toHaveLength(12);
    expect(kept.has('2026-11-25T02:00:00.000Z')).toBe(true);
    expect(kept.has('2026-11-22T02:00:00.000Z')).toBe(true); // the Sunday closing week 47
    expect(kept.has('2026-10-31T02:00:00.000Z')).toBe(true); // the last of October
    expect(kept.has('2026-11-17T02:00:00.000Z')).toBe(false);
    expect(kept.size).toBeLessThanOrEqual(21);
  });
});
