import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OWNER } from '../use-cases/listings/principals.ts';
import { type ImageWorld, image, openImageWorld, STORE_KINDS } from './image-world.ts';

const HOUR = 60 * 60 * 1000;

describe.each(STORE_KINDS)('CollectOrphanImages on %s', (kind) => {
  let images: ImageWorld;
  beforeAll(async () => {
    images = await openImageWorld(kind);
  });
  afterAll(() => images?.dispose());
  beforeEach(() => images.reset());

  /** An image folder with bytes and no row, as a crash between storing and committing leaves it. */
  async function orphanFolder(listingId: number): Promise<string[]> {
    const folder = `listings/${listingId}/${randomUUID()}/`;
    const keys = [`${folder}medium.webp`, `${folder}original.jpg`, `${folder}small.webp`];
    for (const key of keys) await images.store.put(key, Buffer.from(`bytes of ${key}`), { contentType: 'image/jpeg' });
    return keys;
  }

  it('removes folders no row points at once past the grace period, and nothing else', async () => {
    const listing = await images.world.newListing();
    const upload = images.uploader();
    const kept = await upload.execute(OWNER, { listingId: listing.id, body: await image('jpeg', 50, 50) });
    const gone = await images.world.newListing();
    const goneImage = await upload.execute(OWNER, { listingId: gone.id, body: await image('png', 50, 50) });
    // A hard-deleted listing takes its rows with it (ON DELETE CASCADE) and leaves its objects behind.
    await images.world.knex('listings').where({ id: gone.id }).delete();
    const orphans = await orphanFolder(listing.id);
    const foreign = ['listings/legacy/cover.jpg', `listings/${listing.id}/cover.jpg`];
    for (const key of foreign) await images.store.put(key, Buffer.from('old'), { contentType: 'image/jpeg' });
    const before = await images.keys();
    expect(before).toHaveLength(11);

    // Everything is seconds old: within a 1-hour grace period nothing is touched.
    images.gcClock.set(new Date());
    const young = await images.collector().execute({ olderThanMs: HOUR });
    expect(young).toMatchObject({ scannedObjects: 11, referencedObjects: 3, recentObjects: 6, foreignObjects: 2 });
    expect(young.orphanObjects).toBe(0);
    expect(await images.keys()).toEqual(before);

    // Two hours later: a dry run reports the orphans and deletes nothing.
    images.gcClock.set(new Date(Date.now() + 2 * HOUR));
    const goneKeys = before.filter((key) => key.startsWith(`listings/${gone.id}/`));
    expect(goneKeys).toHaveLength(3);
    const dry = await images.collector().execute({ olderThanMs: HOUR, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, orphanObjects: 6, deletedObjects: 0, referencedObjects: 3 });
    expect(dry.orphanKeys.sort()).toEqual([...orphans, ...goneKeys].sort());
    expect(await images.keys()).toEqual(before);

    const run = await images.collector().execute({ olderThanMs: HOUR });
    expect(run).toMatchObject({ dryRun: false, orphanObjects: 6, deletedObjects: 6, foreignObjects: 2 });
    expect(run.orphanBytes).toBeGreaterThan(0);
    const after = await images.keys();
    expect(after.sort()).toEqual(
      [
        ...foreign,
        ...before.filter((key) => key.startsWith((kept.storageKey as string).replace(/original\.jpg$/, ''))),
      ].sort(),
    );
    expect(await images.store.stat(kept.storageKey as string)).toBeDefined();
    expect(await images.store.stat(goneImage.storageKey as string)).toBeUndefined();

    // A second run finds nothing more.
    expect((await images.collector().execute({ olderThanMs: HOUR })).orphanObjects).toBe(0);
  });

  it('judges a folder whole: a recent object keeps its older siblings', async () => {
    const listing = await images.world.newListing();
    const [first] = await orphanFolder(listing.id);
    const written = Date.now();
    // Over two seconds later (stores may keep whole seconds), one more object lands in the folder.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const folder = (first as string).replace(/medium\.webp$/, '');
    await images.store.put(`${folder}late.webp`, Buffer.from('late'), { contentType: 'image/webp' });
    // The grace period ends half a second after the first three were written: they are old, the late one is not.
    images.gcClock.set(new Date(written + 2100));
    const report = await images.collector().execute({ olderThanMs: 1600 });
    expect(report).toMatchObject({ orphanObjects: 0, recentObjects: 4 });
    expect(await images.keys()).toHaveLength(4);
  });

  it('works through many folders in batches, keeping the referenced ones among them', async () => {
    const listing = await images.world.newListing();
    for (let i = 0; i < 20; i++) await orphanFolder(listing.id + (i % 7));
    const kept = await images.uploader().execute(OWNER, { listingId: listing.id, body: await image('png', 20, 20) });
    for (let i = 0; i < 20; i++) await orphanFolder(listing.id + (i % 5));
    images.gcClock.set(new Date(Date.now() + 2 * HOUR));
    const progress: number[] = [];
    const report = await images.collector({ batchObjects: 10 }).execute({
      olderThanMs: HOUR,
      onProgress: (r) => progress.push(r.scannedObjects),
    });
    expect(report).toMatchObject({
      scannedObjects: 123,
      orphanObjects: 120,
      deletedObjects: 120,
      referencedObjects: 3,
    });
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toBe(123);
    const folder = (kept.storageKey as string).replace(/original\.png$/, '');
    expect(await images.keys()).toEqual([`${folder}medium.webp`, `${folder}original.png`, `${folder}small.webp`]);
  });
});
