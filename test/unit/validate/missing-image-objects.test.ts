import { describe, expect, it } from 'vitest';
import type { KeyOrderPosition, StoredImageKey } from '../../../ports/image-key-index.ts';
import { compareObjectKeys } from '../../../ports/object-store.ts';
import { MissingImageObjects } from '../../../src/validate/missing-image-objects.ts';

/** Rows served as `ImageKeyIndex.storedImagesInKeyOrder` serves them: key bytes, then id, a page after a position. */
function rowsInKeyOrder(rows: readonly StoredImageKey[]) {
  const sorted = [...rows].sort((a, b) => compareObjectKeys(a.storageKey, b.storageKey) || a.id - b.id);
  const pages: number[] = [];
  return {
    pages,
    async storedImagesInKeyOrder(after: KeyOrderPosition | undefined, limit: number) {
      const start =
        after === undefined
          ? 0
          : sorted.findIndex((row) => (compareObjectKeys(row.storageKey, after.storageKey) || row.id - after.id) > 0);
      const page = start === -1 ? [] : sorted.slice(start, start + limit);
      pages.push(page.length);
      return page;
    },
  };
}

const key = (position: number) => `listings/1/00000000-0000-4000-8000-${String(position).padStart(12, '0')}/o.jpg`;
const row = (id: number, storageKey: string): StoredImageKey => ({ id, listingId: 1, storageKey });

describe('MissingImageObjects', () => {
  it('finds every row the listing passed without showing, across pages of rows, and reports each page', async () => {
    const rows = Array.from({ length: 2500 }, (_, position) => row(position + 1, key(position)));
    const lost = new Set([0, 999, 1000, 1999, 2000, 2499]);
    const keys = rowsInKeyOrder(rows);
    const walked: number[] = [];
    const merge = new MissingImageObjects({
      keys,
      keptRows: 1000,
      withoutObject: async () => expect.fail('no row lies outside the prefix'),
      pageWalked: (done) => walked.push(done),
    });
    for (let position = 0; position < 2500; position += 1) if (!lost.has(position)) await merge.passed(key(position));
    // An object with no row in between changes nothing.
    const result = await merge.finish();
    expect(result.rows).toBe(2500);
    expect(result.count).toBe(lost.size);
    expect(result.missing.map((missing) => missing.storageKey)).toEqual([...lost].map(key));
    expect(walked).toEqual([1000, 2000, 2500]);
    expect(keys.pages).toEqual([1000, 1000, 500]);
  });

  it('matches in byte order, rows sharing a key together, and counts beyond the kept rows', async () => {
    const stored = ['listings/a/ｘ.jpg', 'listings/a/😀.jpg', 'listings/b.jpg'];
    const rows = [
      row(1, 'listings/a/😀.jpg'),
      row(2, 'listings/a/ｘ.jpg'),
      row(3, 'listings/a/😀.jpg'),
      row(4, 'listings/a/ｘ-gone.jpg'),
      row(5, 'listings/c-gone.jpg'),
    ];
    const merge = new MissingImageObjects({
      keys: rowsInKeyOrder(rows),
      keptRows: 1,
      withoutObject: async () => [],
    });
    for (const objectKey of [...stored].sort(compareObjectKeys)) await merge.passed(objectKey);
    const result = await merge.finish();
    expect(result).toEqual({ rows: 5, count: 2, missing: [rows[3]] });
  });

  it('looks up only the rows outside the listed prefix, a bounded number at once', async () => {
    const outside = Array.from({ length: 20 }, (_, at) => row(at + 1, `legacy/${String(at).padStart(2, '0')}.jpg`));
    const rows = [...outside, row(100, key(1))];
    const lookedUp: number[] = [];
    const merge = new MissingImageObjects({
      keys: rowsInKeyOrder(rows),
      keptRows: 1000,
      withoutObject: async (group) => {
        lookedUp.push(group.length);
        return group.filter((candidate) => candidate.id % 2 === 0);
      },
    });
    await merge.passed(key(1));
    const result = await merge.finish();
    expect(lookedUp).toEqual([16, 4]);
    expect(result.count).toBe(10);
    expect(result.missing.every((missing) => missing.storageKey.startsWith('legacy/'))).toBe(true);
  });
});
