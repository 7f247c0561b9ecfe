import { describe, expect, it } from 'vitest';
import { describeCounts } from '../../../adapters/cli/commands/validate-describe.ts';
import type { BucketCounts } from '../../../ports/search-index-maintenance.ts';
import { CompareIndexCounts, differingBuckets } from '../../../src/validate/compare-counts.ts';

describe('differingBuckets', () => {
  it('lists only buckets whose counts differ, an absent bucket counting 0, category ids in numeric order', () => {
    expect(differingBuckets({ '10': 3, '9': 2, '2': 1 }, { '10': 3, '9': 1, '100': 4 })).toEqual([
      { bucket: '2', database: 1, index: 0 },
      { bucket: '9', database: 2, index: 1 },
      { bucket: '100', database: 0, index: 4 },
    ]);
    expect(differingBuckets({ active: 2 }, { active: 2 })).toEqual([]);
    expect(differingBuckets({ active: 2 }, { active: 2, sold: 1 })).toEqual([
      { bucket: 'sold', database: 0, index: 1 },
    ]);
  });
});

describe('CompareIndexCounts', () => {
  const counts = (total: number, category: Record<string, number>): BucketCounts => ({
    total,
    byStatus: { active: total },
    byCategory: category,
  });

  /** Counts answered in turn by each side (the last answer repeats), and the refreshes seen. */
  function world(database: BucketCounts[], index: BucketCounts[]) {
    const refreshes: number[] = [];
    const next = (answers: BucketCounts[]) => async () =>
      (answers.length > 1 ? answers.shift() : answers[0]) as BucketCounts;
    const use = new CompareIndexCounts({
      listings: { searchable: next(database) },
      searchIndex: { refresh: async () => void refreshes.push(1) } as never,
      maintenance: {
        engine: 'postgres',
        indices: async () => ({ serving: 'listing_search', retired: [], other: [] }),
        countDocuments: next(index),
      } as never,
      monotonicMs: () => 0,
    });
    return { use, refreshes };
  }

  it('counts again after the settle pause and reports only what still differs', async () => {
    const { use, refreshes } = world([counts(3, { '1': 3 })], [counts(2, { '1': 2 }), counts(3, { '1': 3 })]);
    const report = await use.execute({ settleMs: 1 });
    expect(report).toMatchObject({ clean: true, differences: { total: null, status: [], category: [] } });
    expect(refreshes).toHaveLength(2);
  });

  it('reports the total, status and category buckets that still differ, and describes them', async () => {
    const { use } = world([counts(3, { '1': 3 })], [counts(2, { '1': 1, '4': 1 })]);
    const report = await use.execute({ settleMs: 0 });
    expect(report.clean).toBe(false);
    expect(report.differences).toEqual({
      total: { bucket: 'total', database: 3, index: 2 },
      status: [{ bucket: 'active', database: 3, index: 2 }],
      category: [
        { bucket: '1', database: 3, index: 1 },
        { bucket: '4', database: 0, index: 1 },
      ],
    });
    const text = describeCounts(report);
    expect(text).toContain('COUNTS DIFFER (PostgreSQL / index):');
    expect(text).toContain('  total: 3 / 2');
    expect(text).toContain('  status active: 3 / 2');
    expect(text).toContain('  category 4: 0 / 1');
  });
});
