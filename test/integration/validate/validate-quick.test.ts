import { afterEach, describe, expect, it } from 'vitest';
import { KnexListingCounts } from '../../../adapters/sql/knex-listing-counts.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { CompareIndexCounts } from '../../../src/validate/compare-counts.ts';
import { type AdminWorld, adminEngines, openAdminWorld, quietHooks, REBUILD } from '../reindex/search-admin-fixture.ts';

// `validate --quick` as a use case on the real engines: grouped counts on PostgreSQL 15 and on each index.
describe.each(adminEngines())('validate --quick on $name', (engine) => {
  let world: AdminWorld | undefined;
  afterEach(async () => {
    await world?.dispose();
    world = undefined;
  });

  const counts = (w: AdminWorld) =>
    new CompareIndexCounts({
      listings: new KnexListingCounts(w.world.knex),
      searchIndex: w.index,
      maintenance: w.maintenance,
      monotonicMs: () => performance.now(),
    });

  it('agrees after a rebuild, and names the total, status and category buckets that differ', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const ids = await w.seed(12);
    const bicycles = String(w.world.categories.bicycles);
    const cars = w.world.categories.furniture;
    // Two listings in another category, and one that must not be counted (a draft).
    await w.world.knex('listings').whereIn('id', ids.slice(0, 2)).update({ category_id: cars });
    await w.world.knex('listings').where('id', ids[2]).update({ status: 'draft' });
    await w.rebuild().execute(REBUILD, quietHooks());

    const clean = await counts(w).execute({ settleMs: 0 });
    expect(clean).toMatchObject({
      mode: 'quick',
      engine: w.maintenance.engine,
      clean: true,
      database: { total: 11, byStatus: { active: 11 }, byCategory: { [bicycles]: 9, [String(cars)]: 2 } },
      documents: { total: 11, byStatus: { active: 11 }, byCategory: { [bicycles]: 9, [String(cars)]: 2 } },
      differences: { total: null, status: [], category: [] },
    });

    // A lost delete in `cars`, and a document of a sold listing (its status changed behind the index) in bicycles.
    const lost = (await w.repos.listings.findById(ids[0] as number))!;
    await w.index.remove([{ id: lost.id, version: lost.version }]);
    const sold = (await w.repos.listings.findById(ids[5] as number))!;
    await w.index.upsert([{ ...buildSearchDocument(sold)!, status: 'sold', version: sold.version + 1 }]);
    await w.world.knex('listings').where('id', ids[5]).update({ status: 'sold' });
    await w.index.refresh();

    // The totals agree (10 and 10): only the buckets show the drift.
    const drifted = await counts(w).execute({ settleMs: 0 });
    expect(drifted.clean).toBe(false);
    expect(drifted.differences).toEqual({
      total: null,
      status: [
        { bucket: 'active', database: 10, index: 9 },
        { bucket: 'sold', database: 0, index: 1 },
      ],
      category: [
        { bucket: bicycles, database: 8, index: 9 },
        { bucket: String(cars), database: 2, index: 1 },
      ].sort((a, b) => Number(a.bucket) - Number(b.bucket)),
    });
  });
});
