import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisCache } from '../../../adapters/redis/redis-cache.ts';
import { closeRedisClient, createRedisClient } from '../../../adapters/redis/redis-client.ts';
import { NO_METRICS } from '../../../ports/core-metrics.ts';
import { ListingCache } from '../../../src/listings/listing-cache.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { ValidateSearchIndex } from '../../../src/validate/validate-search-index.ts';
import { redisUrl } from '../../support/servers.ts';
import {
  type AdminWorld,
  adminEngines,
  openAdminWorld,
  quietHooks,
  REBUILD,
  VALIDATE,
  validateHooks,
} from '../reindex/search-admin-fixture.ts';

// listings validate as a use case on the real engines, with drift of every kind planted behind the service's back.
describe.each(adminEngines())('validate on $name', (engine) => {
  let world: AdminWorld | undefined;
  afterEach(async () => {
    await world?.dispose();
    world = undefined;
  });

  it('finds each planted drift kind with its ids, repairs it with --fix, and a second run is clean', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const ids = await w.seed(60);
    await w.rebuild().execute(REBUILD, quietHooks());
    const clean = await w.validate().execute(VALIDATE, validateHooks());
    expect(clean).toMatchObject({ clean: true, checked: { listings: 60, searchable: 60, documents: 60 } });

    const [missing, stale, mismatched, hidden, deleted, dead] = ids as [number, number, number, number, number, number];
    const row = async (id: number) => buildSearchDocument((await w.repos.listings.findById(id))!)!;
    // missing: the document removed (at its own version, as a lost delete would).
    await w.index.remove([{ id: missing, version: 1 }]);
    // stale: the row changed without its outbox entry.
    await w.world.knex.raw(
      `UPDATE listings SET title = 'Changed behind the index', version = version + 1 WHERE id = ?`,
      [stale],
    );
    // mismatched: same version, another title in the index (a hand edit).
    await w.index.upsert([{ ...(await row(mismatched)), title: 'Edited by hand' }]);
    // unsearchable: made private, and soft-deleted, without telling the index.
    await w.world.knex.raw(`UPDATE listings SET visibility = 'private', version = version + 1 WHERE id = ?`, [hidden]);
    await w.world.knex.raw(
      `UPDATE listings SET is_deleted = true, deleted_at = now(), version = version + 1 WHERE id = ?`,
      [deleted],
    );
    // extra: a document without any row.
    const ghost = ids.at(-1)! + 1000;
    await w.index.upsert([{ ...(await row(dead)), id: ghost, uuid: '00000000-0000-4000-8000-000000000999' }]);
    // dead letter: a listing whose job died.
    await w.world.knex.raw(
      `INSERT INTO indexing_queue (listing_id, operation, listing_version, status, retry_count, error_message)
       VALUES (?, 'update', 1, 'dead', 3, 'planted')`,
      [dead],
    );
    await w.index.refresh();

    const found = await w.validate().execute(VALIDATE, validateHooks());
    expect(found.clean).toBe(false);
    expect(found.drift).toEqual({
      missing: { count: 1, ids: [missing] },
      stale: { count: 1, ids: [stale] },
      ahead: { count: 0, ids: [] },
      mismatched: { count: 1, ids: [mismatched] },
      unsearchable: { count: 2, ids: [hidden, deleted].sort((a, b) => a - b) },
      extra: { count: 1, ids: [ghost] },
      deadLetters: { count: 1, ids: [dead] },
      cacheStale: { count: 0, ids: [] },
      // No object store given: the stored-images check did not run.
      objectMissing: { count: 0, ids: [], keys: [] },
      orphanObject: { count: 0, ids: [], keys: [] },
      sideRowsStale: { count: 0, ids: [] },
    });
    expect(found.images).toBeNull();
    expect(found.sideRows).toEqual({ examined: 60 });
    expect(found.mismatchedFields).toEqual({ title: 1 });

    const outboxBefore = await w.queue();
    const dryRun = await w.validate().execute({ ...VALIDATE, fix: true, dryRun: true }, validateHooks());
    expect(dryRun.fix).toMatchObject({ dryRun: true, enqueued: 5, deleted: 1, requeuedDeadLetters: 1 });
    expect(await w.queue()).toEqual(outboxBefore);
    expect((await w.maintenance.getDocuments([ghost])).length).toBe(1);

    const fixed = await w.validate().execute({ ...VALIDATE, fix: true }, validateHooks());
    expect(fixed.fix).toMatchObject({
      dryRun: false,
      enqueued: 5,
      deleted: 1,
      requeuedDeadLetters: 1,
      deletesSkipped: null,
    });
    const worker = w.worker();
    await worker.drain({ until: 'empty' });
    const again = await w.validate().execute(VALIDATE, validateHooks());
    expect(again.drift).toMatchObject({ missing: { count: 0 }, unsearchable: { count: 0 }, deadLetters: { count: 0 } });
    expect(again.clean).toBe(true);
  });

  it('finds listings whose side-row copy drifted from the side tables and rebuilds it with --fix', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const [kept, lost, ghost] = (await w.seed(4)) as [number, number, number];
    for (const id of [kept, lost]) await w.repos.listings.replaceRelations(id, { tags: ['road'] });
    await w.rebuild().execute(REBUILD, quietHooks());
    // The copy changed behind the triggers' back: one lost, one for a listing without side rows.
    await w.world.knex.raw('DELETE FROM listing_side_rows WHERE listing_id = ?', [lost]);
    await w.world.knex.raw(`INSERT INTO listing_side_rows (listing_id, tags) VALUES (?, '["ghost"]')`, [ghost]);

    const found = await w.validate().execute(VALIDATE, validateHooks());
    expect(found.clean).toBe(false);
    expect(found.drift.sideRowsStale).toEqual({ count: 2, ids: [lost, ghost] });
    const dryRun = await w.validate().execute({ ...VALIDATE, fix: true, dryRun: true }, validateHooks());
    expect(dryRun.fix).toMatchObject({ dryRun: true, rebuiltSideRows: 2 });
    expect((await w.repos.listings.findById(lost))?.tags).toEqual([]);

    const fixed = await w.validate().execute({ ...VALIDATE, fix: true }, validateHooks());
    expect(fixed.fix).toMatchObject({ dryRun: false, rebuiltSideRows: 2 });
    expect((await w.repos.listings.findById(lost))?.tags).toEqual(['road']);
    expect((await w.repos.listings.findById(ghost))?.tags).toEqual([]);
    const again = await w.validate().execute(VALIDATE, validateHooks());
    expect(again.drift.sideRowsStale).toEqual({ count: 0, ids: [] });
    expect(again.clean).toBe(true);
  });

  it('reports documents newer than their rows as needing a reindex, which repairs them', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const [ahead] = (await w.seed(5)) as [number];
    await w.rebuild().execute(REBUILD, quietHooks());
    const listing = await w.repos.listings.findById(ahead);
    await w.index.upsert([{ ...buildSearchDocument(listing!)!, version: 9 }]);
    const found = await w.validate().execute({ ...VALIDATE, fix: true }, validateHooks());
    expect(found.drift.ahead).toEqual({ count: 1, ids: [ahead] });
    expect(found.fix?.needReindex).toEqual([ahead]);
    await w.rebuild().execute(REBUILD, quietHooks());
    expect((await w.validate().execute(VALIDATE, validateHooks())).clean).toBe(true);
  });

  it('deletes documents without rows only within --max-deletes and when confirmed', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const ids = await w.seed(3);
    await w.rebuild().execute(REBUILD, quietHooks());
    const template = buildSearchDocument((await w.repos.listings.findById(ids[0]!))!)!;
    await w.index.upsert([5001, 5002, 5003].map((id) => ({ ...template, id })));
    await w.index.refresh();
    const over = await w.validate().execute({ ...VALIDATE, fix: true, maxDeletes: 2 }, validateHooks());
    expect(over.fix).toMatchObject({ deleted: 0 });
    expect(over.fix?.deletesSkipped).toMatch(/exceed --max-deletes 2/);
    const declined = await w.validate().execute({ ...VALIDATE, fix: true }, validateHooks(false));
    expect(declined.fix).toMatchObject({ deleted: 0, deletesSkipped: 'deleting documents without a row was declined' });
    expect((await w.maintenance.getDocuments([5001, 5002, 5003])).length).toBe(3);
  });

  it('compares fields on a sample only, and still every presence and version', async () => {
    world = await openAdminWorld(engine);
    const w = world;
    const ids = await w.seed(40);
    await w.rebuild().execute(REBUILD, quietHooks());
    await w.index.remove([{ id: ids[7]!, version: 1 }]);
    const sampled = await w.validate().execute({ ...VALIDATE, sample: 10 }, validateHooks());
    expect(sampled.checked.fieldsCompared).toBeLessThan(40);
    expect(sampled.drift.missing).toEqual({ count: 1, ids: [ids[7]] });
  });
});

describe('validate with the Redis listing cache', () => {
  it('finds a cached listing older than its row, evicts it with --fix, and counts unreachable reads as incomplete', async () => {
    const [pgsearch] = adminEngines();
    const w = await openAdminWorld(pgsearch!);
    const client = createRedisClient({ url: redisUrl() });
    const failing = createRedisClient({ url: 'redis://127.0.0.1:9' });
    try {
      const prefix = `validate_test_${randomBytes(4).toString('hex')}:`;
      let failures = 0;
      const cache = new ListingCache({
        cache: new RedisCache({ client, keyPrefix: prefix, observer: { onError: () => failures++ } }),
        metrics: NO_METRICS,
      });
      const [cached, fresh] = (await w.seed(3)) as [number, number];
      await w.rebuild().execute(REBUILD, quietHooks());
      const old = (await w.repos.listings.findById(cached))!;
      await cache.read(cached, async () => old);
      await cache.read(fresh, async () => w.repos.listings.findById(fresh));
      await w.world.knex.raw(`UPDATE listings SET title = 'Newer', version = version + 1 WHERE id = ?`, [cached]);
      await w.world.knex('indexing_queue').delete();
      await w.index.upsert([buildSearchDocument((await w.repos.listings.findById(cached))!)!]);

      const deps = {
        listings: w.repos.listings,
        outbox: w.repos.outbox,
        searchIndex: w.index,
        maintenance: w.maintenance,
        monotonicMs: () => performance.now(),
      };
      const validate = new ValidateSearchIndex({ ...deps, cache: { cache, failures: () => failures } });
      const found = await validate.execute({ ...VALIDATE, fix: true }, validateHooks());
      expect(found.drift.cacheStale).toEqual({ count: 1, ids: [cached] });
      expect(found.cache).toMatchObject({ checked: 3, cached: 2, stale: 1, failures: 0 });
      expect(found.fix?.evicted).toBe(1);
      expect(await cache.peek(cached)).toBeUndefined();
      expect((await validate.execute(VALIDATE, validateHooks())).clean).toBe(true);

      let down = 0;
      const unreachable = new ListingCache({
        cache: new RedisCache({ client: failing, observer: { onError: () => down++ } }),
        metrics: NO_METRICS,
      });
      const blind = await new ValidateSearchIndex({
        ...deps,
        cache: { cache: unreachable, failures: () => down },
      }).execute(VALIDATE, validateHooks());
      expect(blind.clean).toBe(true);
      expect(blind.incomplete).toEqual(['3 cache read(s) failed']);
    } finally {
      await closeRedisClient(client);
      await closeRedisClient(failing);
      await w.dispose();
    }
  });
});
