import { afterEach, describe, expect, it } from 'vitest';
import type { ListingRepository } from '../../../ports/listing-repository.ts';
import type { SearchIndex } from '../../../ports/search-index.ts';
import {
  type AdminWorld,
  adminEngines,
  openAdminWorld,
  quietHooks,
  REBUILD,
  VALIDATE,
  validateHooks,
} from './search-admin-fixture.ts';

/** `target` with one method replaced. */
function replacing<T extends object>(target: T, property: keyof T, replacement: unknown): T {
  return new Proxy(target, {
    get(inner, key, receiver) {
      if (key === property) return replacement;
      const value = Reflect.get(inner, key, receiver);
      return typeof value === 'function' ? value.bind(inner) : value;
    },
  });
}

// What a rebuild leaves behind when it cannot finish, and rollback, on PostgreSQL search and OpenSearch.
describe.each(adminEngines())('rebuild on $name when it cannot swap', (engine) => {
  let world: AdminWorld | undefined;
  afterEach(async () => {
    await world?.dispose();
    world = undefined;
  });

  async function serving(w: AdminWorld) {
    const inventory = await w.maintenance.indices();
    return { inventory, count: await w.index.count(), ids: [...(await w.indexed()).keys()].sort((a, b) => a - b) };
  }

  it('a document the new index refuses fails verification: the new index is dropped, the serving one untouched', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const ids = await w.seed(120);
    await w.rebuild().execute(REBUILD, quietHooks());
    const before = await serving(w);
    const refused = ids[50] as number;
    const searchIndex = replacing(
      w.index,
      'bulkInto',
      async (name: string, documents: Parameters<SearchIndex['upsert']>[0]) => {
        const results = await w.index.bulkInto(
          name,
          documents.filter((document) => document.id !== refused),
        );
        const byId = new Map(results.map((result) => [result.id, result]));
        return documents.map(
          (document) => byId.get(document.id) ?? { id: document.id, status: 'permanent', reason: 'refused (test)' },
        );
      },
    );
    const report = await w.rebuild({ searchIndex }).execute(REBUILD, quietHooks());
    expect(report).toMatchObject({ swapped: false, failed: 1, failures: [{ id: refused, reason: 'refused (test)' }] });
    expect(report.problems[0]).toBe('1 listing(s) could not be written to the new index');
    expect(await serving(w)).toEqual(before);
  });

  it('an error during the copy rejects and keeps the new index for --resume, which finishes it', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    await w.seed(300);
    await w.rebuild().execute(REBUILD, quietHooks());
    const before = await serving(w);
    let reads = 0;
    const listings = replacing(
      w.repos.listings,
      'listForReindex',
      (options: Parameters<ListingRepository['listForReindex']>[0]) => {
        if (++reads === 3) return Promise.reject(new Error('connection reset (test)'));
        return w.repos.listings.listForReindex(options);
      },
    );
    const failing = w.rebuild({ listings });
    await expect(failing.execute({ ...REBUILD, concurrency: 1 }, quietHooks())).rejects.toThrow(
      'connection reset (test)',
    );
    const after = await serving(w);
    expect([after.count, after.ids, after.inventory.serving]).toEqual([
      before.count,
      before.ids,
      before.inventory.serving,
    ]);
    expect(after.inventory.other).toHaveLength(1);
    const kept = after.inventory.other[0] as string;

    const resumed = await w.rebuild().execute({ ...REBUILD, resume: true }, quietHooks());
    expect(resumed).toMatchObject({ index: kept, swapped: true, problems: [], leftovers: [] });
    // Saves are throttled (2 s): the checkpoint may still be the start, and resuming then copies everything again.
    expect(resumed.resumedFrom).toBeGreaterThanOrEqual(0);
    expect(resumed.verification).toMatchObject({ countsMatch: true, indexed: 300, expected: 300 });
    expect(await w.index.count()).toBe(300);
  });

  it('--resume without anything to resume is a precondition failure', async () => {
    world = await openAdminWorld(engine);
    await expect(world.rebuild().execute({ ...REBUILD, resume: true }, quietHooks())).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
  });

  it('a stop request (SIGINT) ends the copy at a batch boundary, drops the new index and rejects INTERRUPTED', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    await w.seed(300);
    await w.rebuild().execute(REBUILD, quietHooks());
    const before = await serving(w);
    let stop = false;
    const hooks = {
      stopped: () => stop,
      progress: () => {
        stop = true;
      },
    };
    await expect(w.rebuild().execute(REBUILD, hooks)).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(await serving(w)).toEqual(before);
  });

  it('--no-swap builds and verifies without swapping; the next run drops what it left', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    await w.seed(80);
    await w.rebuild().execute(REBUILD, quietHooks());
    const before = await serving(w);
    const built = await w.rebuild().execute({ ...REBUILD, swap: false }, quietHooks());
    expect(built).toMatchObject({ swapped: false, problems: [], documents: 80, verification: { countsMatch: true } });
    const after = await serving(w);
    expect([after.count, after.ids, after.inventory.serving]).toEqual([
      before.count,
      before.ids,
      before.inventory.serving,
    ]);
    expect(after.inventory.other).toEqual([built.index]);
    const next = await w.rebuild().execute(REBUILD, quietHooks());
    expect(next).toMatchObject({ swapped: true, leftovers: [built.index] });
    expect((await w.maintenance.indices()).other).toEqual([]);
  });

  it('refuses to swap while the outbox holds dead letters, unless forced', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const ids = await w.seed(20);
    await w.rebuild().execute(REBUILD, quietHooks());
    const before = await serving(w);
    await w.world.knex.raw(
      `INSERT INTO indexing_queue (listing_id, operation, listing_version, status, retry_count, error_message)
       VALUES (?, 'update', 1, 'dead', 3, 'planted')`,
      [ids[0] as number],
    );
    const refused = await w.rebuild().execute(REBUILD, quietHooks());
    expect(refused).toMatchObject({ swapped: false, deadLetters: 1 });
    expect(refused.problems).toEqual([
      '1 dead letter(s) in the outbox: fix and requeue them (listings queue retry-dead) or pass --force',
    ]);
    expect(await serving(w)).toEqual(before);
    const forced = await w.rebuild().execute({ ...REBUILD, force: true }, quietHooks());
    expect(forced).toMatchObject({ swapped: true, problems: [] });
  });

  it('a dry run builds nothing and reports what would be indexed', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    await w.seed(30);
    const before = await serving(w);
    const report = await w.rebuild().execute({ ...REBUILD, dryRun: true }, quietHooks());
    expect(report).toMatchObject({ dryRun: true, index: null, total: 30, swapped: false, documents: 0 });
    expect(await serving(w)).toEqual(before);
  });

  it('rolls back to the previous index and brings it up to date with what changed since it was retired', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const ids = await w.seed(50);
    const first = await w.rebuild().execute(REBUILD, quietHooks());
    const second = await w.rebuild().execute({ ...REBUILD, keep: 2 }, quietHooks());
    // Changes the retired index never saw: a new listing, an edit, a removal.
    const added = (await w.seed(1))[0] as number;
    await w.world.knex.raw(`UPDATE listings SET title = 'Edited later', version = version + 1 WHERE id = ?`, [
      ids[0] as number,
    ]);
    await w.world.knex.raw(`UPDATE listings SET status = 'inactive', version = version + 1 WHERE id = ?`, [
      ids[1] as number,
    ]);
    const worker = w.worker();
    await worker.drain({ until: 'empty' });

    const rolled = await w.rollback().execute({ keep: 2, dryRun: false });
    expect(rolled.from).toBe(engine.name === 'opensearch' ? second.index : 'listing_search');
    expect(rolled.to).toBe((engine.name === 'opensearch' ? first.index : second.previous) as string);
    expect(rolled.caughtUp.written).toBeGreaterThanOrEqual(2);
    expect(rolled.caughtUp.removed).toBeGreaterThanOrEqual(1);
    expect(rolled.failures).toEqual([]);
    const inventory = await w.maintenance.indices();
    if (engine.name === 'opensearch') expect(inventory.serving).toBe(first.index);
    expect(inventory.retired.length).toBeGreaterThanOrEqual(1);
    const indexed = await w.indexed();
    expect(indexed.has(added)).toBe(true);
    expect(indexed.has(ids[1] as number)).toBe(false);
    expect((await w.validate().execute(VALIDATE, validateHooks())).clean).toBe(true);
  });

  it('refuses to roll back when no previous index was kept', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    await w.seed(5);
    await w.rebuild().execute({ ...REBUILD, keep: 0 }, quietHooks());
    await expect(w.rollback().execute({ keep: 1, dryRun: false })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
  });
});
