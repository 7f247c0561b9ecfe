import { afterEach, describe, expect, it } from 'vitest';
import type { ListingRepository } from '../../../ports/listing-repository.ts';
import { ADMIN } from '../use-cases/listings/principals.ts';
import {
  type AdminWorld,
  adminEngines,
  openAdminWorld,
  quietHooks,
  REBUILD,
  VALIDATE,
  validateHooks,
} from './search-admin-fixture.ts';

// listings reindex as a use case on the real engines: PostgreSQL 15's search table and OpenSearch 2.19.
describe.each(adminEngines())('rebuild on $name', (engine) => {
  let world: AdminWorld | undefined;
  afterEach(async () => {
    await world?.dispose();
    world = undefined;
  });

  it('copies every searchable listing into a new index, verifies it and swaps', async () => {
    world = await openAdminWorld(engine);
    const ids = await world.seed(250);
    await world.world.newListingWithStatus('draft');
    const before = await world.maintenance.indices();
    const phases: string[] = [];
    const report = await world.rebuild().execute(REBUILD, quietHooks(phases));
    expect(report).toMatchObject({ swapped: true, total: 250, documents: 250, failed: 0, problems: [] });
    expect(report.verification).toMatchObject({ expected: 250, indexed: 250, countsMatch: true, sampleChecked: 50 });
    expect(phases).toEqual(['copy', 'replay', 'verify', 'swap', 'catch-up']);
    expect(Object.keys(report.phasesMs)).toEqual(phases);
    const after = await world.maintenance.indices();
    // OpenSearch moves its aliases to the new index; PostgreSQL renames the new table to listing_search.
    if (engine.name === 'opensearch') expect(after.serving).toBe(report.index);
    expect(after.serving).toBe(before.serving === null || engine.name === 'opensearch' ? report.index : before.serving);
    expect(after.retired).toEqual([report.previous]);
    expect(await world.index.count()).toBe(250);
    expect([...(await world.indexed()).keys()].sort((a, b) => a - b)).toEqual(ids);
  });

  it('keeps every write made during the build, and searches never fail nor see an empty index', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    await w.seed(400);
    await w.rebuild().execute(REBUILD, quietHooks());
    const worker = w.worker();
    worker.start();

    // Writes that certainly land inside the build: made while the copy reads its third batch.
    let reads = 0;
    const changed: number[] = [];
    const listings = new Proxy(w.repos.listings, {
      get(target, property, receiver) {
        if (property === 'listForReindex') {
          return async (options: Parameters<ListingRepository['listForReindex']>[0]) => {
            if (++reads === 3) changed.push(...(await writeSome(w, 5)));
            return target.listForReindex(options);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    // And writes all along, as production has them.
    let writing = true;
    const background = (async () => {
      while (writing) changed.push(...(await writeSome(w, 1)));
    })();
    const searches = { done: 0, failed: 0, emptiest: Number.POSITIVE_INFINITY };
    let searching = true;
    const searcher = (async () => {
      while (searching) {
        try {
          const found = await w.index.search({ text: '', filters: {}, sort: 'created_at_desc', limit: 1 });
          searches.emptiest = Math.min(searches.emptiest, found.total);
          searches.done += 1;
        } catch {
          searches.failed += 1;
        }
      }
    })();

    const report = await w.rebuild({ listings }).execute(REBUILD, quietHooks());
    writing = false;
    await background;
    searching = false;
    await searcher;
    await worker.stop();
    await worker.drain({ until: 'empty' });

    expect(report, JSON.stringify(report.verification)).toMatchObject({ swapped: true, failed: 0, problems: [] });
    expect(report.replayed).toBeGreaterThanOrEqual(5);
    expect(changed.length).toBeGreaterThanOrEqual(5);
    expect(searches.done).toBeGreaterThan(0);
    expect(searches.failed).toBe(0);
    expect(searches.emptiest).toBeGreaterThanOrEqual(390);
    // Nothing written during the build is missing, stale or left behind in the new index.
    const check = await w.validate().execute(VALIDATE, validateHooks(false));
    expect(check.drift).toMatchObject({ missing: { count: 0 }, stale: { count: 0 }, mismatched: { count: 0 } });
    expect(check.clean).toBe(true);
  });
});

/** `count` changes through the use cases (each enqueues): a new active listing, an edit, a delete, cycling. */
async function writeSome(w: AdminWorld, count: number): Promise<number[]> {
  const touched: number[] = [];
  for (let i = 0; i < count; i++) {
    const created = await w.world.newListingWithStatus('active', { title: `Written during the build ${i}` });
    touched.push(created.id);
    if (i % 3 === 1) {
      await w.world.update.execute(ADMIN, { id: created.id, title: 'Edited during the build' });
    } else if (i % 3 === 2) {
      await w.world.remove.execute(ADMIN, { id: created.id });
    }
  }
  return touched;
}
