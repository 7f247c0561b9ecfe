import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { KnexImageKeyIndex } from '../../../adapters/sql/knex-image-key-index.ts';
import type { ObjectStore } from '../../../ports/object-store.ts';
import { ValidateSearchIndex } from '../../../src/validate/validate-search-index.ts';
import { openStore, STORE_KINDS } from '../images/image-world.ts';
import {
  type AdminWorld,
  adminEngines,
  openAdminWorld,
  quietHooks,
  REBUILD,
  VALIDATE,
  validateHooks,
} from '../reindex/search-admin-fixture.ts';
import { TestClock } from '../use-cases/listings/fixture.ts';

const HOUR = 60 * 60 * 1000;

/** Keys of every object in the store, sorted. */
async function allKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list('', { recursive: true })) keys.push(object.key);
  return keys.sort();
}

// The stored-images drift of `listings validate` on the real object stores (MinIO and a folder) and PostgreSQL 15.
describe.each(STORE_KINDS)('validate stored images on %s', (kind) => {
  let world: AdminWorld | undefined;
  let disposeStore: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await world?.dispose();
    await disposeStore?.();
    world = undefined;
    disposeStore = undefined;
  });

  async function open() {
    const [pgsearch] = adminEngines();
    world = await openAdminWorld(pgsearch!);
    const opened = await openStore(kind);
    disposeStore = () => opened.dispose();
    const clock = new TestClock();
    const w = world;
    const validate = () =>
      new ValidateSearchIndex({
        listings: w.repos.listings,
        outbox: w.repos.outbox,
        searchIndex: w.index,
        maintenance: w.maintenance,
        monotonicMs: () => performance.now(),
        images: { store: opened.store, keys: new KnexImageKeyIndex(w.world.knex), clock },
      });
    /** An image row of `listingId` pointing at a fresh folder; its objects are stored when `stored`. */
    const imageRow = async (listingId: number, stored: boolean) => {
      const folder = `listings/${listingId}/${randomUUID()}/`;
      const key = `${folder}original.jpg`;
      await w.world
        .knex('listing_images')
        .insert({ listing_id: listingId, url: `https://img/${key}`, storage_key: key });
      if (stored) {
        for (const name of ['original.jpg', 'small.webp']) {
          await opened.store.put(`${folder}${name}`, Buffer.from(name), { contentType: 'image/jpeg' });
        }
      }
      return key;
    };
    /** Objects in a folder no row points at (a hard-deleted listing's, or a crashed upload's). */
    const orphanFolder = async (listingId: number) => {
      const folder = `listings/${listingId}/${randomUUID()}/`;
      const keys = [`${folder}original.png`, `${folder}small.webp`];
      for (const key of keys) await opened.store.put(key, Buffer.from(key), { contentType: 'image/png' });
      return keys;
    };
    return { w, store: opened.store, clock, validate, imageRow, orphanFolder };
  }

  it('reports rows whose object is gone and objects without a row, with keys; --fix deletes only the orphans', async () => {
    const { w, store, clock, validate, imageRow, orphanFolder } = await open();
    const [kept, lost, other] = (await w.seed(3)) as [number, number, number];
    await imageRow(kept, true);
    const lostKey = await imageRow(lost, false);
    const orphans = await orphanFolder(other);
    await store.put('listings/legacy/cover.jpg', Buffer.from('old'), { contentType: 'image/jpeg' });
    await w.rebuild().execute(REBUILD, quietHooks());

    // Within the grace period the orphan folder is not judged; the missing object is reported at once.
    const seen: [string, number][] = [];
    const young = await validate().execute(VALIDATE, {
      ...validateHooks(),
      imageProgress: (phase, done) => seen.push([phase, done]),
    });
    expect(seen.at(0)).toEqual(['objects', 5]);
    expect(seen.at(-1)).toEqual(['images', 2]);
    expect(young.drift.objectMissing).toEqual({ count: 1, ids: [lost], keys: [lostKey] });
    expect(young.drift.orphanObject).toEqual({ count: 0, ids: [], keys: [] });
    expect(young.images).toMatchObject({
      imageRows: 2,
      scannedObjects: 5,
      referencedObjects: 2,
      recentObjects: 2,
      foreignObjects: 1,
    });

    clock.set(new Date(Date.now() + 2 * HOUR));
    const found = await validate().execute(VALIDATE, validateHooks());
    expect(found.clean).toBe(false);
    expect(found.drift).toMatchObject({
      missing: { count: 0 },
      extra: { count: 0 },
      objectMissing: { count: 1, ids: [lost], keys: [lostKey] },
      orphanObject: { count: 2, ids: [], keys: orphans },
    });

    const before = await allKeys(store);
    const dryRun = await validate().execute({ ...VALIDATE, fix: true, dryRun: true }, validateHooks());
    expect(dryRun.fix).toMatchObject({ dryRun: true, deletedObjects: 2, objectDeletesSkipped: null });
    expect(await allKeys(store)).toEqual(before);

    const over = await validate().execute({ ...VALIDATE, fix: true, maxDeletes: 1 }, validateHooks());
    expect(over.fix).toMatchObject({ deletedObjects: 0 });
    expect(over.fix?.objectDeletesSkipped).toMatch(/2 image objects without a row exceed --max-deletes 1/);
    const declined = await validate().execute(
      { ...VALIDATE, fix: true },
      { ...validateHooks(), confirmObjectDeletes: async () => false },
    );
    expect(declined.fix).toMatchObject({
      deletedObjects: 0,
      objectDeletesSkipped: 'deleting image objects without a row was declined',
    });
    expect(await allKeys(store)).toEqual(before);

    const fixed = await validate().execute(
      { ...VALIDATE, fix: true },
      { ...validateHooks(), confirmObjectDeletes: async () => true },
    );
    expect(fixed.fix).toMatchObject({ deletedObjects: 2, objectDeletesSkipped: null });
    expect(await allKeys(store)).toEqual(before.filter((key) => !orphans.includes(key)));

    // The missing object stays reported (nothing can recreate it) until its row goes.
    const again = await validate().execute(VALIDATE, validateHooks());
    expect(again.drift.orphanObject.count).toBe(0);
    expect(again.drift.objectMissing.count).toBe(1);
    await w.world.knex('listing_images').where({ storage_key: lostKey }).delete();
    await w.rebuild().execute(REBUILD, quietHooks());
    expect((await validate().execute(VALIDATE, validateHooks())).clean).toBe(true);
  });

  it('counts findings beyond --max-ids as incomplete and then deletes none; stops when interrupted', async () => {
    const { w, store, clock, validate, orphanFolder } = await open();
    const [listing] = (await w.seed(1)) as [number];
    await orphanFolder(listing);
    await orphanFolder(listing);
    await w.rebuild().execute(REBUILD, quietHooks());
    clock.set(new Date(Date.now() + 2 * HOUR));
    const before = await allKeys(store);
    const report = await validate().execute(
      { ...VALIDATE, keptIds: 1, fix: true },
      { ...validateHooks(), confirmObjectDeletes: async () => true },
    );
    expect(report.drift.orphanObject.count).toBe(4);
    expect(report.drift.orphanObject.keys).toHaveLength(1);
    expect(report.incomplete).toEqual(['3 stored-image finding(s) beyond --max-ids 1 were counted, not re-checked']);
    expect(report.fix).toMatchObject({ deletedObjects: 0 });
    expect(report.fix?.objectDeletesSkipped).toMatch(/^4 image objects without a row exceed/);
    expect(await allKeys(store)).toEqual(before);

    // The index pass asks every 5,000 listings (never, with one): the image check asks between batches.
    const interrupted = validate().execute(VALIDATE, { ...validateHooks(), stopped: () => true });
    await expect(interrupted).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });

  it('does not report what changed before the re-check: a row deleted, a folder a row now points into', async () => {
    const { w, store, clock, imageRow, orphanFolder } = await open();
    const [listing] = (await w.seed(1)) as [number];
    clock.set(new Date(Date.now() + 2 * HOUR));
    const orphans = await orphanFolder(listing);
    const lostKey = await imageRow(listing, false);
    await w.rebuild().execute(REBUILD, quietHooks());
    const index = new KnexImageKeyIndex(w.world.knex);
    let raced = false;
    // The rows are walked after the objects were judged: right then, the image of the missing object is deleted
    // (row first, as DeleteStoredImage does) and a row comes back for the orphan folder (say, a restore of rows).
    const racing = {
      storageKeysOf: (ids: readonly number[]) => index.storageKeysOf(ids),
      async storedImages(afterId: number, limit: number) {
        const page = await index.storedImages(afterId, limit);
        if (!raced) {
          raced = true;
          await w.world.knex('listing_images').where({ storage_key: lostKey }).delete();
          await w.world
            .knex('listing_images')
            .insert({ listing_id: listing, url: 'https://img/back', storage_key: orphans[0] });
        }
        return page;
      },
      storedImagesInKeyOrder: (...page: Parameters<KnexImageKeyIndex['storedImagesInKeyOrder']>) =>
        index.storedImagesInKeyOrder(...page),
    };
    const validate = new ValidateSearchIndex({
      listings: w.repos.listings,
      outbox: w.repos.outbox,
      searchIndex: w.index,
      maintenance: w.maintenance,
      monotonicMs: () => performance.now(),
      images: { store, keys: racing, clock },
    });
    const report = await validate.execute(
      { ...VALIDATE, fix: true },
      { ...validateHooks(), confirmObjectDeletes: async () => true },
    );
    expect(raced).toBe(true);
    expect(report.drift.objectMissing).toEqual({ count: 0, ids: [], keys: [] });
    expect(report.drift.orphanObject).toEqual({ count: 0, ids: [], keys: [] });
    expect(await allKeys(store)).toEqual([...orphans].sort());
  });
});
