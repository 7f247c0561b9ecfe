import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../adapters/fs-storage/fs-object-store.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { cliEnv, runListings } from '../reindex/cli-env.ts';
import { type AdminWorld, adminEngines, openAdminWorld, quietHooks, REBUILD } from '../reindex/search-admin-fixture.ts';

// `listings validate` as operators and scripts run it: a child process on PostgreSQL 15 and OpenSearch 2.19.
describe.each(adminEngines())('listings validate on $name', (engine) => {
  let world: AdminWorld | undefined;
  afterEach(async () => {
    if (world !== undefined) await rm(cliEnv(world).SVETULISTINGS_DATA_DIR as string, { recursive: true, force: true });
    await world?.dispose();
    world = undefined;
  }, 120_000);

  it('exits 0 clean, 1 on drift (with ids); --fix --dry-run changes nothing; --fix, a worker drain, then 0', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const ids = await w.seed(30);
    await w.rebuild().execute(REBUILD, quietHooks());
    const env = cliEnv(w);
    const clean = await runListings(['validate'], env);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('no drift');

    const missing = ids[3] as number;
    const ghost = (ids.at(-1) as number) + 77;
    await w.index.remove([{ id: missing, version: 1 }]);
    const template = buildSearchDocument((await w.repos.listings.findById(ids[0] as number))!)!;
    await w.index.upsert([{ ...template, id: ghost }]);
    await w.index.refresh();

    const found = await runListings(['--json', 'validate'], env);
    expect(found.code, found.stderr).toBe(1);
    const report = JSON.parse(found.stdout);
    expect(report.drift.missing).toEqual({ count: 1, ids: [missing] });
    expect(report.drift.extra).toEqual({ count: 1, ids: [ghost] });
    expect(found.stderr).toContain('listings: drift found');

    const human = await runListings(['validate'], env);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`missing (searchable, no document): 1 [${missing}]`);
    expect(human.stdout).toContain(`documents without a row: 1 [${ghost}]`);

    const queueBefore = await w.queue();
    const dryRun = await runListings(['--json', 'validate', '--fix', '--dry-run'], env);
    expect(dryRun.code).toBe(1);
    expect(JSON.parse(dryRun.stdout).fix).toMatchObject({ dryRun: true, enqueued: 1, deleted: 1 });
    expect(await w.queue()).toEqual(queueBefore);

    // Without a terminal and without --yes, documents are not deleted; the re-enqueue still happens.
    const refused = await runListings(['--json', 'validate', '--fix'], env);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).fix).toMatchObject({ enqueued: 1, deleted: 0 });
    expect((await w.maintenance.getDocuments([ghost])).length).toBe(1);

    const fixed = await runListings(['--json', '--yes', 'validate', '--fix'], env);
    expect(fixed.code).toBe(1);
    expect(JSON.parse(fixed.stdout).fix).toMatchObject({ enqueued: 1, deleted: 1, deletesSkipped: null });
    const drained = await runListings(['worker', '--drain'], env);
    expect(drained.code, drained.stderr).toBe(0);
    const again = await runListings(['validate'], env);
    expect(again.code, again.stdout).toBe(0);
  });

  it('--quick: exits 0 when the counts agree, 1 naming the buckets that differ, 2 with --fix, 3 unreachable', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const ids = await w.seed(8);
    await w.rebuild().execute(REBUILD, quietHooks());
    const env = cliEnv(w);
    const agree = await runListings(['validate', '--quick'], env);
    expect(agree.code, agree.stderr).toBe(0);
    expect(agree.stdout).toContain('8 searchable listing(s) in PostgreSQL, 8 document(s)');
    expect(agree.stdout).toContain('counts agree');

    await w.index.remove([{ id: ids[2] as number, version: 1 }]);
    await w.index.refresh();
    const category = String(w.world.categories.bicycles);
    const differ = await runListings(['--json', 'validate', '--quick', '--settle', '0'], env);
    expect(differ.code, differ.stderr).toBe(1);
    const report = JSON.parse(differ.stdout);
    expect(report).toMatchObject({
      mode: 'quick',
      clean: false,
      database: { total: 8, byStatus: { active: 8 }, byCategory: { [category]: 8 } },
      documents: { total: 7, byStatus: { active: 7 }, byCategory: { [category]: 7 } },
      differences: {
        total: { bucket: 'total', database: 8, index: 7 },
        status: [{ bucket: 'active', database: 8, index: 7 }],
        category: [{ bucket: category, database: 8, index: 7 }],
      },
    });
    expect(differ.stderr).toContain('listings: counts differ');
    const human = await runListings(['validate', '--quick', '--settle', '0'], env);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('COUNTS DIFFER (PostgreSQL / index):');
    expect(human.stdout).toContain('  total: 8 / 7');
    expect(human.stdout).toContain(`  category ${category}: 8 / 7`);

    const usage = await runListings(['validate', '--quick', '--fix'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--quick compares counts only: it does not take --fix');
    const noDatabase = await runListings(['validate', '--quick'], {
      ...env,
      SVETULISTINGS_DB_URL: 'postgres://u:p@127.0.0.1:9/none',
    });
    expect(noDatabase.code).toBe(3);
    if (engine.name === 'opensearch') {
      const noEngine = await runListings(['validate', '--quick'], {
        ...env,
        SVETULISTINGS_OPENSEARCH_ADDRESSES: 'http://127.0.0.1:9',
      });
      expect(noEngine.code, noEngine.stderr).toBe(3);
    }
  });

  it('exits 3 when the search engine or the database is unreachable', async () => {
    world = await openAdminWorld(engine);
    const env = cliEnv(world);
    const noDatabase = await runListings(['validate'], {
      ...env,
      SVETULISTINGS_DB_URL: 'postgres://u:p@127.0.0.1:9/none',
    });
    expect(noDatabase.code).toBe(3);
    if (engine.name === 'opensearch') {
      const noEngine = await runListings(['validate'], {
        ...env,
        SVETULISTINGS_OPENSEARCH_ADDRESSES: 'http://127.0.0.1:9',
      });
      expect(noEngine.code, noEngine.stderr).toBe(3);
    }
  });
});

describe('listings validate: stored images', () => {
  it('exits 1 on a missing object and an orphan object (keys in --json); --fix --dry-run and unconfirmed --fix delete nothing; --yes deletes the orphan; --no-images skips', async () => {
    const [pgsearch] = adminEngines();
    const w = await openAdminWorld(pgsearch!);
    try {
      const [listing] = (await w.seed(2)) as [number, number];
      const env = cliEnv(w);
      const root = env.SVETULISTINGS_STORAGE_DIR as string;
      await rm(root, { recursive: true, force: true });
      const store = new FsObjectStore({ root, signingSecret: 'validate-cli-images-secret-32-bytes' });
      const lostKey = `listings/${listing}/${randomUUID()}/original.jpg`;
      await w.world
        .knex('listing_images')
        .insert({ listing_id: listing, url: 'https://img/lost', storage_key: lostKey });
      const orphan = `listings/${listing}/${randomUUID()}/original.jpg`;
      await store.put(orphan, Buffer.from('orphan bytes'), { contentType: 'image/jpeg' });
      await w.rebuild().execute(REBUILD, quietHooks());
      const keys = async () => {
        const found: string[] = [];
        for await (const object of store.list('', { recursive: true })) found.push(object.key);
        return found;
      };

      // Seconds old: the orphan is within the default 1-hour grace period, the missing object is drift at once.
      const young = await runListings(['--json', 'validate'], env);
      expect(young.code, young.stderr).toBe(1);
      const youngReport = JSON.parse(young.stdout);
      expect(youngReport.drift.objectMissing).toEqual({ count: 1, ids: [listing], keys: [lostKey] });
      expect(youngReport.drift.orphanObject).toEqual({ count: 0, ids: [], keys: [] });
      expect(youngReport.images).toMatchObject({ imageRows: 1, scannedObjects: 1, recentObjects: 1 });

      const args = ['validate', '--images-older-than', '0s', '--settle', '0'];
      const human = await runListings(args, env);
      expect(human.code).toBe(1);
      expect(human.stdout).toContain(`image rows whose object is gone (keys; only reported): 1 [${lostKey}]`);
      expect(human.stdout).toContain(`image objects without a row (keys): 1 [${orphan}]`);

      const dryRun = await runListings(['--json', ...args, '--fix', '--dry-run'], env);
      expect(dryRun.code).toBe(1);
      expect(JSON.parse(dryRun.stdout).fix).toMatchObject({ dryRun: true, deletedObjects: 1 });
      expect(await keys()).toEqual([orphan]);
      const unconfirmed = await runListings(['--json', ...args, '--fix'], env);
      expect(unconfirmed.code).toBe(1);
      expect(JSON.parse(unconfirmed.stdout).fix).toMatchObject({
        deletedObjects: 0,
        objectDeletesSkipped: 'deleting image objects without a row was declined',
      });
      expect(await keys()).toEqual([orphan]);
      const fixed = await runListings(['--json', '--yes', ...args, '--fix'], env);
      expect(fixed.code).toBe(1);
      expect(JSON.parse(fixed.stdout).fix).toMatchObject({ deletedObjects: 1, objectDeletesSkipped: null });
      expect(await keys()).toEqual([]);

      // The missing object is still drift (nothing recreates it), unless the image check is skipped.
      const still = await runListings(['--json', ...args], env);
      expect(still.code).toBe(1);
      expect(JSON.parse(still.stdout).drift).toMatchObject({ objectMissing: { count: 1 }, orphanObject: { count: 0 } });
      const skipped = await runListings(['--json', 'validate', '--no-images'], env);
      expect(skipped.code, skipped.stdout).toBe(0);
      expect(JSON.parse(skipped.stdout).images).toBeNull();

      // An object store that does not answer: exit 3, like an unreachable database or engine.
      const noStore = await runListings(['validate'], {
        ...env,
        SVETULISTINGS_STORAGE_DRIVER: 'minio',
        SVETULISTINGS_MINIO_ENDPOINT: 'http://127.0.0.1:9',
      });
      expect(noStore.code, noStore.stderr).toBe(3);
    } finally {
      await w.dispose();
      await rm(cliEnv(w).SVETULISTINGS_DATA_DIR as string, { recursive: true, force: true });
    }
  });
});

describe('listings validate --strict', () => {
  it('exits 5 when the cache check could not complete (Redis unreachable), 0 without --strict', async () => {
    const [pgsearch] = adminEngines();
    const w = await openAdminWorld(pgsearch!);
    try {
      await w.seed(5);
      await w.rebuild().execute(REBUILD, quietHooks());
      const env = { ...cliEnv(w), SVETULISTINGS_CACHE_DRIVER: 'redis', SVETULISTINGS_REDIS_URL: 'redis://127.0.0.1:9' };
      const lenient = await runListings(['--json', 'validate'], env);
      expect(lenient.code, lenient.stderr).toBe(0);
      expect(JSON.parse(lenient.stdout).incomplete).toEqual(['5 cache read(s) failed']);
      const strict = await runListings(['validate', '--strict'], env);
      expect(strict.code).toBe(5);
      expect(strict.stdout).toContain('incomplete: 5 cache read(s) failed');
    } finally {
      await rm(cliEnv(w).SVETULISTINGS_DATA_DIR as string, { recursive: true, force: true });
      await w.dispose();
    }
  });
});
