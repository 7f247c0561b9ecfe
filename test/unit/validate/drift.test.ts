import { describe, expect, it } from 'vitest';
import type { ListingDetails } from '../../../src/domain/listing.ts';
import { classify, DriftTally } from '../../../src/validate/drift.ts';
import { searchDocument } from '../../integration/search/search-fixtures.ts';

const row = (version: number) => ({ id: 1, version }) as ListingDetails;
const stored = (version: number, document = searchDocument(1, { version })) => ({ id: 1, version, document });

describe('classify', () => {
  it('tells every drift kind apart, and agreement from drift', () => {
    const want = searchDocument(1, { version: 3 });
    expect(classify(1, row(3), want, undefined, true)?.kind).toBe('missing');
    expect(classify(1, row(3), null, undefined, true)).toBeNull();
    expect(classify(1, undefined, null, stored(3), true)?.kind).toBe('extra');
    expect(classify(1, row(3), null, stored(3), true)?.kind).toBe('unsearchable');
    expect(classify(1, row(3), want, stored(2), true)).toMatchObject({
      kind: 'stale',
      rowVersion: 3,
      documentVersion: 2,
    });
    expect(classify(1, row(3), want, stored(4), true)?.kind).toBe('ahead');
    expect(classify(1, row(3), want, { id: 1, version: 3, document: null }, false)).toMatchObject({
      kind: 'mismatched',
      fields: ['unreadable'],
    });
    const edited = stored(3, { ...want, title: 'hand edit' });
    expect(classify(1, row(3), want, edited, true)).toMatchObject({ kind: 'mismatched', fields: ['title'] });
    // Fields are compared only when asked (the --sample share).
    expect(classify(1, row(3), want, edited, false)).toBeNull();
    expect(classify(1, row(3), want, stored(3), true)).toBeNull();
  });
});

describe('DriftTally', () => {
  it('counts every finding and keeps only the first ones per kind', () => {
    const tally = new DriftTally(2);
    for (let id = 1; id <= 5; id++) tally.add({ kind: 'missing', id, rowVersion: 1, documentVersion: 0 });
    tally.add({ kind: 'extra', id: 9, rowVersion: 0, documentVersion: 1 });
    expect(tally.kinds.get('missing')?.count).toBe(5);
    expect(tally.findings().map((finding) => finding.id)).toEqual([1, 2, 9]);
    expect([tally.total(), tally.truncated()]).toEqual([6, 3]);
  });
});
