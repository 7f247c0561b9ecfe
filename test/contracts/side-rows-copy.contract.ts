import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SideRowsCopy } from '../../ports/side-rows-copy.ts';
import { newListing, type StoreHarness } from './unit-of-work.contract.ts';

/** How a bypassed upkeep leaves a listing's copy: gone, out of date, or present for a listing without side rows. */
export type CopyCorruption = 'missing' | 'stale' | 'extra';

export interface SideRowsCopyHarness {
  readonly store: StoreHarness;
  readonly copy: SideRowsCopy;
  /** Changes the copy of `listingId` behind the upkeep's back. */
  corrupt(listingId: number, how: CopyCorruption): Promise<void>;
}

/** The behaviour of every SideRowsCopy adapter (ports/side-rows-copy.ts). */
export function describeSideRowsCopyContract(name: string, factory: () => Promise<SideRowsCopyHarness>): void {
  describe(`SideRowsCopy contract: ${name}`, () => {
    let harness: SideRowsCopyHarness;
    let categoryId: number;
    beforeAll(async () => {
      harness = await factory();
    });
    afterAll(async () => {
      await harness?.store.dispose();
    });
    beforeEach(async () => {
      await harness.store.reset();
      categoryId = await harness.store.seedCategory({ slug: 'bikes' });
    });

    const listings = () => harness.store.plain.listings;

    /** Five listings: the first four with side rows, the last without. */
    async function seed(): Promise<number[]> {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const listing = await listings().insert(newListing(categoryId, { title: `Bike ${i}` }));
        if (i < 4) {
          await listings().replaceRelations(listing.id, {
            tags: [`tag-${i}`],
            attributeEntries: { size: `${50 + i}` },
          });
        }
        ids.push(listing.id);
      }
      return ids;
    }

    async function walk(limit: number): Promise<{ drifted: number[]; examined: number; batches: number }> {
      const drifted: number[] = [];
      let examined = 0;
      let batches = 0;
      let afterId: number | null = 0;
      while (afterId !== null) {
        const batch = await harness.copy.findDrifted(afterId, limit);
        drifted.push(...batch.drifted);
        examined += batch.examined;
        batches++;
        afterId = batch.nextAfterId;
      }
      return { drifted, examined, batches };
    }

    it('finds nothing where the upkeep ran, paging through every listing in id order', async () => {
      await seed();
      expect(await walk(2)).toEqual({ drifted: [], examined: 5, batches: 3 });
      expect(await walk(1000)).toEqual({ drifted: [], examined: 5, batches: 1 });
    });

    it('finds a missing, a stale and an extra copy, and nothing else; rebuild makes reads right again', async () => {
      const [missing, stale, , deleted, extra] = (await seed()) as [number, number, number, number, number];
      await listings().softDelete(deleted, new Date());
      await harness.corrupt(missing, 'missing');
      await harness.corrupt(stale, 'stale');
      await harness.corrupt(deleted, 'stale');
      await harness.corrupt(extra, 'extra');
      expect((await walk(2)).drifted).toEqual([missing, stale, deleted, extra]);
      expect((await listings().findById(stale))?.tags).not.toEqual(['tag-1']);

      await harness.copy.rebuild([missing, stale, deleted, extra, 999_999_999]);
      expect((await walk(1000)).drifted).toEqual([]);
      expect(await listings().findById(missing)).toMatchObject({ tags: ['tag-0'] });
      expect(await listings().findById(stale)).toMatchObject({ tags: ['tag-1'] });
      expect(await listings().findById(extra)).toMatchObject({ tags: [], attributeEntries: [] });
    });

    it('rebuilds nothing for no ids', async () => {
      await harness.copy.rebuild([]);
      expect(await walk(10)).toEqual({ drifted: [], examined: 0, batches: 1 });
    });
  });
}
