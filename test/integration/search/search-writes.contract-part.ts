import { beforeEach, describe, expect, it } from 'vitest';
import type { SearchIndex, SearchQuery } from '../../../ports/search-index.ts';
import type { SearchIndexHarness } from '../../contracts/search-index.contract.ts';
import { searchDocument } from './search-fixtures.ts';

const browse = (text = ''): SearchQuery => ({ text, filters: {}, sort: 'created_at_desc', limit: 100 });

/** `id@version` of the matches, newest first, after a refresh. */
async function matches(index: SearchIndex, text = ''): Promise<string[]> {
  await index.refresh();
  const result = await index.search(browse(text));
  return result.hits.map((hit) => `${hit.id}@${hit.version}`);
}

/** The write and lifecycle half of the SearchIndex contract (see test/contracts/search-index.contract.ts). */
export function describeSearchIndexWrites(harness: () => SearchIndexHarness): void {
  describe('writes and lifecycle (an empty index for each test)', () => {
    describeWrites(harness);
  });
}

function describeWrites(harness: () => SearchIndexHarness): void {
  let index: SearchIndex;

  beforeEach(async () => {
    await harness().reset();
    index = harness().index;
  });

  describe('versioned writes with per-item results', () => {
    it('never lets an older version overwrite a newer one (an equal version rewrites)', async () => {
      expect(await index.upsert([searchDocument(1, { version: 2, title: 'Sto od hrasta' })])).toEqual([
        { id: 1, status: 'ok' },
      ]);
      expect(await index.upsert([searchDocument(1, { version: 1, title: 'Stolica od bora' })])).toEqual([
        { id: 1, status: 'stale' },
      ]);
      expect(await matches(index, 'hrasta')).toEqual(['1@2']);
      expect(await matches(index, 'stolica')).toEqual([]);
      expect(await index.upsert([searchDocument(1, { version: 2, title: 'Sto od oraha' })])).toEqual([
        { id: 1, status: 'ok' },
      ]);
      expect(await matches(index, 'oraha')).toEqual(['1@2']);
    });

    it('keeps the highest version when one batch carries an id twice', async () => {
      const results = await index.upsert([
        searchDocument(1, { version: 3, title: 'Lampa nova' }),
        searchDocument(1, { version: 2, title: 'Lampa stara' }),
      ]);
      expect(results).toEqual([
        { id: 1, status: 'ok' },
        { id: 1, status: 'stale' },
      ]);
      expect(await matches(index, 'nova')).toEqual(['1@3']);
    });

    it('removes with a version: missing ids are ok, an older upsert cannot resurrect, a newer one can', async () => {
      await index.upsert([searchDocument(1, { version: 2 }), searchDocument(2)]);
      expect(
        await index.remove([
          { id: 1, version: 3 },
          { id: 404, version: 1 },
        ]),
      ).toEqual([
        { id: 1, status: 'ok' },
        { id: 404, status: 'ok' },
      ]);
      expect(await matches(index)).toEqual(['2@1']);
      expect(await index.upsert([searchDocument(1, { version: 2 })])).toEqual([{ id: 1, status: 'stale' }]);
      expect(await index.remove([{ id: 2, version: 1 }])).toEqual([{ id: 2, status: 'ok' }]);
      expect(await index.upsert([searchDocument(1, { version: 4 })])).toEqual([{ id: 1, status: 'ok' }]);
      expect(await matches(index)).toEqual(['1@4']);
      expect(await index.count()).toBe(1);
    });

    it('reports a remove older than the stored document as stale and keeps the document', async () => {
      await index.upsert([searchDocument(1, { version: 5 })]);
      expect(await index.remove([{ id: 1, version: 4 }])).toEqual([{ id: 1, status: 'stale' }]);
      expect(await matches(index)).toEqual(['1@5']);
    });

    it('refuses one bad document on its own: the others are written', async () => {
      const bad = searchDocument(2, { title: 'Pokvaren oglas', location: { lat: 200, lon: 20 } });
      const results = await index.upsert([searchDocument(1), bad, searchDocument(3)]);
      expect(results.map((result) => [result.id, result.status])).toEqual([
        [1, 'ok'],
        [2, 'permanent'],
        [3, 'ok'],
      ]);
      const refused = results[1];
      expect(refused?.status === 'permanent' && refused.reason.length > 0).toBe(true);
      expect(await matches(index)).toEqual(['3@1', '1@1']);
    });
  });

  describe('index lifecycle', () => {
    it('ensureIndex is idempotent', async () => {
      const again = await index.ensureIndex();
      expect(again.created).toBe(false);
      expect(await index.count()).toBe(0);
    });

    it('builds a versioned index beside the serving one and swaps it in while searches keep answering', async () => {
      await index.upsert([searchDocument(1, { title: 'Stari katalog' })]);
      await index.refresh();
      const name = await index.createVersionedIndex();
      const rebuilt = [searchDocument(1, { title: 'Novi katalog' }), searchDocument(2, { title: 'Novi katalog 2' })];
      expect((await index.bulkInto(name, rebuilt)).map((result) => result.status)).toEqual(['ok', 'ok']);
      await index.refresh(name);
      expect(await index.count(name)).toBe(2);
      expect(await index.count()).toBe(1);
      expect(await matches(index, 'katalog')).toEqual(['1@1']);

      // Searches run throughout the swap: each answers with the old or the new index, never an error or nothing,
      // and every search that starts after the swap returned sees the new index.
      let swapped = false;
      const answers: { readonly afterSwap: boolean; readonly total: number }[] = [];
      const searcher = (async () => {
        while (answers.filter((answer) => answer.afterSwap).length < 3) {
          const afterSwap = swapped;
          answers.push({ afterSwap, total: (await index.search(browse('katalog'))).total });
          // PGlite answers in this thread through microtasks only: let the swap run between searches.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const swap = await index.swapAlias(name, { keep: 1 });
      swapped = true;
      await searcher;

      expect(swap.previous).not.toBeNull();
      expect(swap.previous).not.toBe(name);
      expect(answers.every((answer) => answer.total === 1 || answer.total === 2)).toBe(true);
      expect(answers.filter((answer) => answer.afterSwap).map((answer) => answer.total)).toEqual([2, 2, 2]);
      expect(await matches(index, 'novi')).toEqual(['2@1', '1@1']);

      // Writes now land in the new index; the previous one is kept for rollback and cannot be the serving one.
      await index.upsert([searchDocument(3, { title: 'Novi katalog 3' })]);
      expect(await matches(index, 'katalog')).toEqual(['3@1', '2@1', '1@1']);
      await expect(index.dropIndex(await servingName(index))).rejects.toMatchObject({ code: 'INVALID_STATE' });
    });

    it('drops previous indices beyond `keep`, and drops a failed rebuild', async () => {
      const first = await index.createVersionedIndex();
      const firstSwap = await index.swapAlias(first, { keep: 0 });
      expect(firstSwap.dropped).toEqual([firstSwap.previous]);
      const failed = await index.createVersionedIndex();
      await index.dropIndex(failed);
      await expect(index.count(failed)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      const serving = await servingName(index);
      expect(await index.swapAlias(serving)).toEqual({ previous: serving, dropped: [] });
    });
  });
}

/** The physical name behind the serving alias: what `ensureIndex` reports. */
async function servingName(index: SearchIndex): Promise<string> {
  return (await index.ensureIndex()).name;
}
