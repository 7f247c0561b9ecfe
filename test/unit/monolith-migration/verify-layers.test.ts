import { describe, expect, it } from 'vitest';
import { canonicalTimestamp } from '../../../adapters/postgres/monolith/verify-scopes.ts';
import { mapC2cStatus } from '../../../src/monolith-migration/mapping/index.ts';
import { BucketDigests, mismatchedBuckets } from '../../../src/monolith-migration/verify/bucket-digest.ts';
import { DifferenceLog } from '../../../src/monolith-migration/verify/differences.ts';
import { drillDown } from '../../../src/monolith-migration/verify/key-checksums.ts';
import {
  chooseSample,
  compareSample,
  type ExpectedListing,
} from '../../../src/monolith-migration/verify/sample-diff.ts';
import { expectedC2cStatus, rawC2cStatus } from '../../../src/monolith-migration/verify/status-rules.ts';

/** A favorite row as the mapping writes it (created_at may be NULL at the source, Q18). */
const favorite = (user_id: number, listing_id: number, created_at: string | null) =>
  ({ user_id, listing_id, created_at }) as { user_id: number; listing_id: number; created_at: string };

describe('verify: seeded sample', () => {
  const ids = Float64Array.from({ length: 500 }, (_, i) => 1000 + i * 3);

  it('picks the same listings for the same seed, others for another seed, all when asked for more', () => {
    const first = chooseSample(ids, 20, 42);
    expect(chooseSample(ids, 20, 42)).toEqual(first);
    expect(chooseSample(ids, 20, 43)).not.toEqual(first);
    expect(new Set(first).size).toBe(20);
    for (const id of first) expect(ids.includes(id)).toBe(true);
    expect(first).toEqual([...first].sort((a, b) => a - b));
    expect(chooseSample(ids, 600, 1)).toEqual([...ids]);
  });
});

describe('verify: key-column digests', () => {
  it('do not depend on the order rows arrive in, and see one changed field', () => {
    const rows = [favorite(7, 10, null), favorite(3, 10, '2025-01-01T00:00:00.000000Z'), favorite(3, 20_001, null)];
    const forward = new BucketDigests('c2c_favorites');
    const backward = new BucketDigests('c2c_favorites');
    for (const row of rows) forward.add(row);
    for (const row of [...rows].reverse()) backward.add(row);
    expect(mismatchedBuckets(forward.buckets, backward.buckets)).toEqual([]);
    expect([...forward.buckets.keys()].sort()).toEqual([0, 2]);

    const changed = new BucketDigests('c2c_favorites');
    for (const row of [rows[0], favorite(3, 10, '2025-01-01T00:00:00.000001Z'), rows[2]]) changed.add(row as never);
    expect(mismatchedBuckets(forward.buckets, changed.buckets)).toEqual([0]);
  });

  it('drill down to the row and the column, and to rows present on one side only', () => {
    const log = new DifferenceLog();
    const sep = '\u001f';
    drillDown(
      'listing_images',
      0,
      [['5', '1', 'a.jpg', '0', 'true', 'T'].join(sep), ['6', '1', 'b.jpg', '1', 'false', 'T'].join(sep)],
      [['5', '1', 'a.jpg', '1', 'true', 'T'].join(sep), ['9', '1', 'c.jpg', '2', 'false', 'T'].join(sep)],
      log,
    );
    expect(log.listed()).toEqual([
      { layer: 'checksums', table: 'listing_images', id: '5', field: 'display_order', expected: '0', actual: '1' },
      { layer: 'checksums', table: 'listing_images', id: '6', field: '(row)', expected: 'present', actual: 'missing' },
      { layer: 'checksums', table: 'listing_images', id: '9', field: '(row)', expected: 'absent', actual: 'present' },
    ]);
  });
});

describe('verify: sample comparison', () => {
  const expected = (): Map<number, ExpectedListing> =>
    new Map([
      [
        1,
        {
          listing: { id: 1, title: 'Bicikl', price: '10.00', attributes: '{"b":1,"a":[true]}', is_deleted: false },
          location: null,
          images: [{ id: 4, listing_id: 1, display_order: 0 }],
          attributes: [],
          favorites: [favorite(3, 1, null)],
        },
      ],
    ]);

  it('accepts JSON in the server spelling and bigint ids as text; names a changed field and an extra row', () => {
    const log = new DifferenceLog();
    const compared = compareSample(
      expected(),
      new Map([
        [
          1,
          {
            listing: {
              id: '1',
              title: 'Bicikl!',
              price: '10.00',
              attributes: '{"a": [true], "b": 1}',
              is_deleted: false,
              version: '3',
            },
            location: null,
            images: [{ id: '4', listing_id: '1', display_order: 0 }],
            attributes: [],
            favorites: [favorite(3, 1, null), favorite(8, 1, '2026-01-01T00:00:00.000000Z')],
          },
        ],
      ]),
      log,
    );
    expect(compared).toBe(1);
    expect(log.listed()).toEqual([
      { layer: 'sample', table: 'listings', id: '1', field: 'title', expected: 'Bicikl', actual: 'Bicikl!' },
      { layer: 'sample', table: 'c2c_favorites', id: '8:1', field: '(row)', expected: 'absent', actual: 'present' },
    ]);
  });
});

describe('verify: status rules and timestamps', () => {
  it('state §3.6 the way the mapping applies it (independent restatement)', () => {
    for (const raw of [
      'active',
      ' Active ',
      'inactive',
      'draft',
      'pending',
      'sold',
      'archived',
      'deleted',
      '',
      'banned',
      'активан',
    ]) {
      expect(expectedC2cStatus(rawC2cStatus(raw), false), raw).toBe(mapC2cStatus(raw).status);
    }
    expect(expectedC2cStatus(rawC2cStatus(null), false)).toBe('draft');
    expect(expectedC2cStatus('active', true)).toBe('draft');
  });

  it('turn PostgreSQL timestamp text into the canonical form', () => {
    expect(canonicalTimestamp('2025-10-30 17:38:47.121733+00')).toBe('2025-10-30T17:38:47.121733Z');
    expect(canonicalTimestamp('2025-10-30 17:38:47.1+00')).toBe('2025-10-30T17:38:47.100000Z');
    expect(canonicalTimestamp('2025-10-30 17:38:47')).toBe('2025-10-30T17:38:47.000000Z');
  });
});
