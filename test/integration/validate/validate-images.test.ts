import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { KnexImageKeyIndex } from '../../../adapters/sql/knex-image-key-index.ts';
import type { ObjectStore } from '../../../ports/object-store.ts';
import { ImageObjectsCheck } from '../../../src/validate/image-objects-check.ts';
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
    /** The check's own findings, before validate re-checks them (which would hide a row wrongly found missing). */
    const checkImages = () =>
      new ImageObjectsCheck({ store: opened.store, keys: new KnexImageKeyIndex(w.world.knex), clock }).run({
        keptKeys: 1000,
        olderThanMs: HOUR,
        stopped: () => false,
      });
    return { w, store: opened.store, clock, validate, checkImages, imageRow, orphanFolder };
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

  it('finds drift at the page boundaries of both walks: rows and objects past 1,000, in key order', async () => {
    const { w, store, clock, validate, checkImages } = await open();
    const [listing] = (await w.seed(1)) as [number];
    // Folders in key order (the uuid's last group is the position). Object listing pages hold 1,000 keys (MinIO's
    // ListObjectsV2), row pages 1,000 rows: the first row has no object, folders 1-999 are whole (objects 0-998),
    // 1000 is an orphan (the last object of page one), 1001 has no object (between the object pages, and the first
    // row of page two), 1002 is an orphan (the first object of page two), 1003-1999 are whole, and the last row,
    // 2000, has no object.
    const folder = (position: number) =>
      `listings/${listing}/00000000-0000-4000-8000-${String(position).padStart(12, '0')}/`;
    const lost = [0, 1001, 2000];
    const orphaned = [1000, 1002];
    const positions = Array.from({ length: 2001 }, (_, position) => position);
    const rows = positions.filter((position) => !orphaned.includes(position));
    for (let start = 0; start < rows.length; start += 500) {
      await w.world.knex('listing_images').insert(
        rows.slice(start, start + 500).map((position) => ({
          listing_id: listing,
          url: `https://img/${position}`,
          storage_key: `${folder(position)}original.jpg`,
        })),
      );
    }
    const objects = positions.filter((position) => !lost.includes(position));
    for (let start = 0; start < objects.length; start += 32) {
      await Promise.all(
        objects
          .slice(start, start + 32)
          .map((position) =>
            store.put(`${folder(position)}original.jpg`, Buffer.from('x'), { contentType: 'image/jpeg' }),
          ),
      );
    }
    await w.rebuild().execute(REBUILD, quietHooks());
    clock.set(new Date(Date.now() + 2 * HOUR));

    const lostKeys = lost.map((position) => `${folder(position)}original.jpg`);
    const checked = await checkImages();
    expect(checked.missing).toEqual({
      count: 3,
      rows: lostKeys.map((storageKey) => expect.objectContaining({ storageKey })),
    });
    expect(checked.orphans).toMatchObject({ count: 2 });

    const report = await validate().execute(VALIDATE, validateHooks());
    expect(report.drift.objectMissing).toEqual({
      count: 3,
      ids: [listing],
      keys: lostKeys,
    });
    expect(report.drift.orphanObject).toEqual({
      count: 2,
      ids: [],
      keys: orphaned.map((position) => `${folder(position)}original.jpg`),
    });
    expect(report.images).toMatchObject({ imageRows: 1999, scannedObjects: 1998, referencedObjects: 1996 });
  }, 180_000);

  it('matches rows to objects in the store key order, also for keys outside the upload layout and prefix', async () => {
    const { w, store, validate, checkImages } = await open();
    const [listing] = (await w.seed(1)) as [number];
    // UTF-16 order puts 😀 (a surrogate pair) before ｘ (U+FF58); the store's UTF-8 byte order puts it after.
    const stored = ['listings/legacy/é.jpg', 'listings/legacy/ｘ.jpg', 'listings/legacy/😀.jpg', 'legacy/kept.jpg'];
    const lost = ['listings/legacy/ｘ-gone.jpg', 'legacy/gone.jpg', 'listings//not-a-key.jpg'];
    for (const key of stored) await store.put(key, Buffer.from(key), { contentType: 'image/jpeg' });
    // Two rows may share a key (a copied image): both have the object.
    for (const key of [...stored, stored[2], ...lost]) {
      await w.world.knex('listing_images').insert({ listing_id: listing, url: 'https://img/x', storage_key: key });
    }
    await w.rebuild().execute(REBUILD, quietHooks());

    const checked = await checkImages();
    expect(checked.missing.count).toBe(3);
    expect(checked.missing.rows.map((row) => row.storageKey).sort()).toEqual([...lost].sort());

    const report = await validate().execute(VALIDATE, validateHooks());
    expect(report.drift.objectMissing.count).toBe(3);
    expect([...(report.drift.objectMissing.keys ?? [])].sort()).toEqual([...lost].sort());
    expect(report.drift.orphanObject.count).toBe(0);
    expect(report.images).toMatchObject({ imageRows: 8, scannedObjects: 3, foreignObjects: 3 });
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
    // Right after the objects were judged (the rows were read beside the listing before that), the image of the
    // missing object is deleted (row first, as DeleteStoredImage does) and a row comes back for the orphan folder
    // (say, a restore of rows).
    const racing = {
      async storageKeysOf(ids: readonly number[]) {
        const keys = await index.storageKeysOf(ids);
        if (!raced) {
          raced = true;
          await w.world.knex('listing_images').where({ storage_key: lostKey }).delete();
          await w.world
            .knex('listing_images')
            .insert({ listing_id: listing, url: 'https://img/back', storage_key: orphans[0] });
        }
        return keys;
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
