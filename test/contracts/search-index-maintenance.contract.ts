import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchIndex } from '../../ports/search-index.ts';
import type { SearchIndexMaintenance } from '../../ports/search-index-maintenance.ts';
import { asCurrency } from '../../src/domain/currency.ts';
import { minorUnits } from '../../src/domain/money.ts';
import { searchDocument } from '../integration/search/search-fixtures.ts';

/** An engine's SearchIndex and SearchIndexMaintenance over the same indices, which the harness owns. */
export interface SearchIndexMaintenanceHarness {
  readonly index: SearchIndex;
  readonly maintenance: SearchIndexMaintenance;
  /** Leaves an empty serving index and nothing else (no shadow or retired index). */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

/** A document with every kind of field set, including values that do not survive a careless round trip. */
function richDocument(id: number) {
  return searchDocument(id, {
    version: 7,
    description: 'Опис: kuća, "quotes" and ünïcode',
    price: minorUnits(19_99),
    currency: asCurrency('EUR'),
    storefrontId: 3,
    sku: 'SKU-1',
    attributes: [
      { key: 'color', value: 'red' },
      { key: 'size', value: '42' },
    ],
    tags: ['new', 'bike'],
    location: { lat: 44.81, lon: 20.46 },
    city: 'Beograd',
    country: 'RS',
    viewCount: 12,
    favoritesCount: 3,
    createdAt: new Date('2026-03-01T10:00:00.123Z'),
    updatedAt: new Date('2026-03-02T10:00:00.456Z'),
    publishedAt: new Date('2026-03-01T11:00:00.000Z'),
  });
}

/**
 * The SearchIndexMaintenance contract (ports/search-index-maintenance.ts), run by each engine's test file against a
 * real engine: OpenSearch, PostgreSQL 15 and PGlite.
 */
export function describeSearchIndexMaintenanceContract(
  name: string,
  open: () => Promise<SearchIndexMaintenanceHarness>,
): void {
  describe(`SearchIndexMaintenance contract: ${name}`, () => {
    let harness: SearchIndexMaintenanceHarness;
    let index: SearchIndex;
    let maintenance: SearchIndexMaintenance;

    beforeAll(async () => {
      harness = await open();
      index = harness.index;
      maintenance = harness.maintenance;
      return () => harness.dispose();
    });

    it('reads documents back exactly as they were written, in id order, without tombstones', async () => {
      await harness.reset();
      const written = [richDocument(5), ...[1, 2, 3, 4].map((id) => searchDocument(id, { version: id }))];
      expect((await index.upsert(written)).every((result) => result.status === 'ok')).toBe(true);
      await index.remove([{ id: 3, version: 9 }]);
      await index.refresh();

      const first = await maintenance.scanDocuments({ afterId: 0, limit: 2 });
      expect(first.map((stored) => stored.id)).toEqual([1, 2]);
      const rest = await maintenance.scanDocuments({ afterId: 2, limit: 10 });
      expect(rest.map((stored) => [stored.id, stored.version])).toEqual([
        [4, 4],
        [5, 7],
      ]);
      expect(rest.find((stored) => stored.id === 5)?.document).toEqual(richDocument(5));
      expect(first[0]?.document).toEqual(searchDocument(1, { version: 1 }));
    });

    it('gets documents by id without a refresh, leaving out missing and removed ones', async () => {
      await harness.reset();
      await index.upsert([searchDocument(10, { version: 2 }), searchDocument(11)]);
      await index.remove([{ id: 11, version: 2 }]);
      const found = await maintenance.getDocuments([10, 11, 12]);
      expect(found.map((stored) => [stored.id, stored.version])).toEqual([[10, 2]]);
      expect(found[0]?.document).toEqual(searchDocument(10, { version: 2 }));
      expect(await maintenance.getDocuments([])).toEqual([]);
    });

    it('lists the serving, retired and other indices', async () => {
      await harness.reset();
      const first = await maintenance.indices();
      expect(first.serving).not.toBeNull();
      expect(first.retired).toEqual([]);
      expect(first.other).toEqual([]);

      const second = await index.createVersionedIndex();
      expect(await maintenance.indices()).toEqual({ serving: first.serving, retired: [], other: [second] });
      const swapped = await index.swapAlias(second, { keep: 2 });
      const afterSwap = await maintenance.indices();
      expect(afterSwap.retired).toEqual([swapped.previous]);
      expect(afterSwap.other).toEqual([]);

      const third = await index.createVersionedIndex();
      const again = await index.swapAlias(third, { keep: 2 });
      const listed = await maintenance.indices();
      // Newest retired first: what a rollback goes back to.
      expect(listed.retired).toEqual([again.previous, swapped.previous]);
      expect(listed.serving).not.toBe(listed.retired[0]);
    });

    it('removes from a shadow index with versions, leaving a tombstone an older write cannot pass', async () => {
      await harness.reset();
      const shadow = await index.createVersionedIndex();
      await index.bulkInto(shadow, [searchDocument(20, { version: 3 }), searchDocument(21, { version: 3 })]);
      const removed = await maintenance.removeFrom(shadow, [
        { id: 20, version: 4 },
        { id: 21, version: 2 },
        { id: 22, version: 1 },
      ]);
      expect(removed.map((result) => result.status)).toEqual(['ok', 'stale', 'ok']);
      expect((await index.bulkInto(shadow, [searchDocument(20, { version: 3 })]))[0]?.status).toBe('stale');
      await index.refresh(shadow);
      const left = await maintenance.scanDocuments({ name: shadow, afterId: 0, limit: 10 });
      expect(left.map((stored) => stored.id)).toEqual([21]);
      expect((await maintenance.getDocuments([20, 21], shadow)).map((stored) => stored.id)).toEqual([21]);
      // The serving index was not touched.
      expect(await maintenance.scanDocuments({ afterId: 0, limit: 10 })).toEqual([]);
    });

    it('keeps the last checkpoint saved with an index, and none for a fresh one', async () => {
      await harness.reset();
      const shadow = await index.createVersionedIndex();
      expect(await maintenance.checkpoint(shadow)).toBeNull();
      await maintenance.saveCheckpoint(shadow, '{"afterId":10}');
      await maintenance.saveCheckpoint(shadow, `{"afterId":20,"note":"it's \\ fine"}`);
      expect(await maintenance.checkpoint(shadow)).toBe(`{"afterId":20,"note":"it's \\ fine"}`);
      await index.bulkInto(shadow, [searchDocument(1)]);
      expect(await maintenance.checkpoint(shadow)).toBe(`{"afterId":20,"note":"it's \\ fine"}`);
    });

    it('counts stored documents in all, per status and per category, without tombstones', async () => {
      await harness.reset();
      expect(await maintenance.countDocuments()).toEqual({ total: 0, byStatus: {}, byCategory: {} });
      await index.upsert([
        searchDocument(1, { categoryId: 4 }),
        searchDocument(2, { categoryId: 4 }),
        searchDocument(3, { categoryId: 1001, status: 'sold' }),
        searchDocument(4, { categoryId: 7 }),
      ]);
      await index.remove([{ id: 4, version: 2 }]);
      await index.refresh();
      expect(await maintenance.countDocuments()).toEqual({
        total: 3,
        byStatus: { active: 2, sold: 1 },
        byCategory: { '4': 2, '1001': 1 },
      });
      const shadow = await index.createVersionedIndex();
      await index.bulkInto(shadow, [searchDocument(9, { categoryId: 2 })]);
      await index.refresh(shadow);
      expect(await maintenance.countDocuments(shadow)).toEqual({
        total: 1,
        byStatus: { active: 1 },
        byCategory: { '2': 1 },
      });
      await expect(maintenance.countDocuments('someone_else')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('refuses names that are not its indices and batch sizes out of range', async () => {
      await harness.reset();
      await expect(maintenance.scanDocuments({ name: 'someone_else', afterId: 0, limit: 1 })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      await expect(maintenance.removeFrom('someone_else', [{ id: 1, version: 1 }])).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      await expect(maintenance.scanDocuments({ afterId: 0, limit: 1001 })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });
  });
}
