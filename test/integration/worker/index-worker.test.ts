import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../adapters/system/system-clock.ts';
import { IndexingQueueAdmin } from '../../../src/indexing/indexing-queue-admin.ts';
import { ADMIN, OWNER } from '../use-cases/listings/principals.ts';
import {
  ENGINES,
  eventually,
  FaultySearchIndex,
  openWorkerWorld,
  RecordingObserver,
  type WorkerWorld,
} from './worker-fixture.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The worker on real PostgreSQL 15 (outbox, listings) and each real search adapter; faults are injected around the
// real adapter only where an outage has to be simulated.
describe.each(ENGINES)('indexing worker on $name', (engine) => {
  let t: WorkerWorld;

  beforeAll(async () => {
    t = await openWorkerWorld(engine);
  });
  afterAll(async () => {
    await t?.dispose();
  });
  beforeEach(async () => {
    await t.reset();
  });

  it('makes writes searchable, and removes unpublished, private and deleted listings', async () => {
    const world = t.world;
    const a = await world.newListingWithStatus('active', { title: 'Road bike' });
    const b = await world.newListingWithStatus('active', { title: 'Gravel bike' });
    const c = await world.newListingWithStatus('active', { title: 'City bike' });
    const draft = await world.newListing({ title: 'Draft bike' });
    const observer = new RecordingObserver();
    const worker = t.worker({}, { observer });

    expect(await worker.drain({ until: 'empty' })).toEqual({
      batches: 1,
      completed: 4,
      retried: 0,
      dead: 0,
      leaseLost: 0,
    });
    expect(await t.indexed()).toEqual(
      new Map([
        [a.id, a.version],
        [b.id, b.version],
        [c.id, c.version],
      ]),
    );
    expect(observer.jobs.every((job) => job.outcome === 'completed' && (job.lagSeconds ?? -1) >= 0)).toBe(true);

    await world.update.execute(ADMIN, { id: a.id, status: 'inactive' });
    await world.update.execute(OWNER, { id: b.id, visibility: 'private' });
    await world.remove.execute(OWNER, { id: c.id });
    await worker.drain({ until: 'empty' });
    expect(await t.indexed()).toEqual(new Map());
    expect(await t.queue()).toEqual({ completed: 7 });
    expect(draft.status).toBe('draft');
  });

  it('claims a full batch again at once and keeps bulk requests within the item bound', async () => {
    const ids = [];
    for (let i = 0; i < 23; i++) ids.push((await t.world.newListingWithStatus('active', { title: `Bike ${i}` })).id);
    const observer = new RecordingObserver();
    const worker = t.worker({ batchSize: 10, bulk: { maxItems: 4 } }, { observer });

    const report = await worker.drain({ until: 'empty' });

    expect(report).toMatchObject({ batches: 3, completed: 23, dead: 0 });
    expect([...(await t.indexed()).keys()].sort()).toEqual([...ids].sort());
    expect(observer.batches.map((batch) => batch.jobs)).toEqual([10, 10, 3]);
    expect(Math.max(...observer.bulks.map((bulk) => bulk.items))).toBe(4);
    expect(observer.bulks.every((bulk) => bulk.outcome === 'ok' && bulk.kind === 'upsert')).toBe(true);
  });

  it('loses nothing when a worker dies holding jobs: another takes them over after the lease', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await t.world.newListingWithStatus('active', { title: `Lamp ${i}` })).id);
    // The "dead" worker claims and never completes (a crash between claim and write).
    const abandoned = await t.repos.outbox.claim({ workerId: 'crashed:1:0', limit: 100, leaseMs: 1_000 });
    expect(abandoned).toHaveLength(5);
    const worker = t.worker();

    expect((await worker.drain({ until: 'empty' })).completed).toBe(0);
    await sleep(1_100);
    expect(await worker.drain({ until: 'empty' })).toMatchObject({ completed: 5, dead: 0 });

    expect([...(await t.indexed()).keys()].sort()).toEqual([...ids].sort());
    expect(await t.queue()).toEqual({ completed: 5 });
    // The crashed worker, coming back, can record nothing.
    expect(await t.repos.outbox.complete(abandoned[0] as (typeof abandoned)[number])).toBe(false);
  });

  it('stops claiming while the engine is down and drains everything once it is back, without dead letters', async () => {
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push((await t.world.newListingWithStatus('active', { title: `Desk ${i}` })).id);
    const faulty = new FaultySearchIndex(t.index);
    // Three write calls fail as a refused connection would, then the probe fails 8 times (a ~2 s outage): more
    // probes than a job has attempts, so only the breaker keeps the queue from turning into dead letters.
    faulty.failCalls(3, 'reject', 8);
    const observer = new RecordingObserver();
    const worker = t.worker(
      {
        batchSize: 5,
        pollIntervalMs: 20,
        backoff: { baseMs: 50, maxMs: 200 },
        breaker: { initialMs: 100, maxMs: 400 },
      },
      { searchIndex: faulty.index, observer },
    );

    worker.start();
    try {
      await eventually(async () => (await t.indexed()).size === 12, 20_000);
      await eventually(async () => (await t.queue()).completed === 12);
    } finally {
      await worker.stop();
    }

    expect(await t.queue()).toEqual({ completed: 12 });
    expect(observer.jobs.filter((job) => job.outcome === 'dead')).toEqual([]);
    expect(observer.availability).toEqual([false, true]);
    expect(observer.errors).toContain('bulk_failed');
    expect(observer.errors.filter((type) => type === 'probe_failed')).toHaveLength(8);
    expect(observer.bulks.filter((bulk) => bulk.outcome === 'error').length).toBeGreaterThanOrEqual(1);
  });

  it('retries items the engine answers retryable (503) and completes them later', async () => {
    const listing = await t.world.newListingWithStatus('active');
    const faulty = new FaultySearchIndex(t.index);
    faulty.failCalls(1, 'retryable');
    const worker = t.worker({ backoff: { baseMs: 20, maxMs: 40 } }, { searchIndex: faulty.index });

    // One batch only: with a 20–40 ms backoff the job is due again before a longer drain would end.
    expect(await worker.drain({ until: 'empty', maxBatches: 1 })).toMatchObject({ completed: 0, retried: 1 });
    expect(await t.queue()).toEqual({ failed: 1 });
    const [row] = await t.world.knex('indexing_queue').select('error_message', 'retry_count');
    expect(row).toMatchObject({ error_message: 'retryable: HTTP 503 (injected)', retry_count: 1 });
    await sleep(60);
    expect(await worker.drain({ until: 'empty' })).toMatchObject({ completed: 1 });
    expect((await t.indexed()).get(listing.id)).toBe(listing.version);
  });

  it('fails the items of a search call that outlives its deadline as retryable, and goes on', async () => {
    const listing = await t.world.newListingWithStatus('active');
    const faulty = new FaultySearchIndex(t.index);
    const hold = faulty.holdNextWrite();
    const worker = t.worker(
      { requestTimeoutMs: 200, backoff: { baseMs: 20, maxMs: 40 } },
      { searchIndex: faulty.index },
    );

    // One batch only: with a 20–40 ms backoff the job is due again before a longer drain would end.
    expect(await worker.drain({ until: 'empty', maxBatches: 1 })).toMatchObject({ completed: 0, retried: 1 });
    const [row] = await t.world.knex('indexing_queue').select('error_message');
    expect(row?.error_message).toMatch(/^retryable: search index upsert failed: no answer within 200 ms/);
    hold.release();
    await sleep(60);
    expect(await worker.drain({ until: 'empty' })).toMatchObject({ completed: 1 });
    expect((await t.indexed()).get(listing.id)).toBe(listing.version);
  });

  it('claims and reads the next batch while a bulk request is in flight; pause waits for both batches', async () => {
    for (let i = 0; i < 4; i++) await t.world.newListingWithStatus('active', { title: `Lamp ${i}` });
    const faulty = new FaultySearchIndex(t.index);
    const hold = faulty.holdNextWrite();
    const worker = t.worker({ concurrency: 1, batchSize: 2 }, { searchIndex: faulty.index });
    worker.start();
    try {
      await hold.reached;
      // One loop: the batch being written plus the batch claimed ahead of it.
      await eventually(async () => (await t.queue()).processing === 4);
      expect(faulty.calls).toHaveLength(1);
      const paused = worker.pause();
      hold.release();
      await paused;
      expect(await t.queue()).toEqual({ completed: 4 });
      expect(faulty.calls.map((call) => call.ids.length)).toEqual([2, 2]);
    } finally {
      await worker.stop();
    }
  });

  it('never leaves an older version indexed: a stale job after a newer one keeps the newer document', async () => {
    const listing = await t.world.newListingWithStatus('active');
    const { listing: v2 } = await t.world.update.execute(OWNER, { id: listing.id, title: 'Renamed bike' });
    const worker = t.worker();
    await worker.drain({ until: 'empty' });
    expect((await t.indexed()).get(listing.id)).toBe(v2.version);

    await t.repos.outbox.enqueue([{ listingId: listing.id, version: listing.version, operation: 'index' }]);
    expect(await worker.drain({ until: 'empty' })).toMatchObject({ completed: 1 });
    expect((await t.indexed()).get(listing.id)).toBe(v2.version);

    // A deleted listing stays out, whatever old job comes late.
    await t.world.remove.execute(OWNER, { id: listing.id });
    await worker.drain({ until: 'empty' });
    await t.repos.outbox.enqueue([{ listingId: listing.id, version: v2.version, operation: 'update' }]);
    await worker.drain({ until: 'empty' });
    expect((await t.indexed()).has(listing.id)).toBe(false);
  });

  it('a worker that read an old row and writes after a newer version was indexed is refused (stale)', async () => {
    const listing = await t.world.newListingWithStatus('active', { title: 'Old title' });
    const faulty = new FaultySearchIndex(t.index);
    const hold = faulty.holdNextWrite();
    const slow = t.worker({ leaseMs: 1_000, requestTimeoutMs: 10_000 }, { searchIndex: faulty.index });
    const slowBatch = slow.runBatch('slow:1:0');
    await hold.reached; // the slow worker holds a document of the old version

    const { listing: newer } = await t.world.update.execute(OWNER, { id: listing.id, title: 'New title' });
    await sleep(1_100); // its lease runs out
    await t.worker().drain({ until: 'empty' });
    expect((await t.indexed()).get(listing.id)).toBe(newer.version);

    hold.release();
    expect(await slowBatch).toMatchObject({ completed: 0, leaseLost: 1 });
    expect((await t.indexed()).get(listing.id)).toBe(newer.version);
    const found = await t.index.search({ text: 'New title', filters: {}, sort: 'relevance', limit: 10 });
    expect(found.hits.map((hit) => hit.id)).toEqual([listing.id]);
  });

  it('dead-letters a document the index refuses without holding back the rest of its batch', async () => {
    const good = [];
    for (let i = 0; i < 3; i++) good.push((await t.world.newListingWithStatus('active', { title: `Chair ${i}` })).id);
    const bad = await t.world.newListingWithStatus('active', { title: 'Chair beyond every limit' });
    // Values the columns hold but the engines refuse, written past the API's validation: PostgreSQL's search table
    // cannot build a tsvector over 1 MiB from this description; OpenSearch refuses a document with more than
    // index.mapping.nested_objects.limit (10,000) nested objects (these attributes). (An impossible latitude and an
    // over-long keyword no longer serve: documents leave such points out, and keywords skip such values.)
    const words = Array.from({ length: 200_000 }, (_, i) => `w${i}`).join(' ');
    await t.world.knex('listing_attributes').insert(
      Array.from({ length: 10_001 }, (_, i) => ({
        listing_id: bad.id,
        attribute_key: `spec_${i}`,
        attribute_value: String(i),
      })),
    );
    await t.world
      .knex('listings')
      .where({ id: bad.id })
      .update({ description: words, version: bad.version + 1 });
    await t.repos.outbox.enqueue([{ listingId: bad.id, version: bad.version + 1, operation: 'update' }]);
    const observer = new RecordingObserver();
    const worker = t.worker({ backoff: { baseMs: 10, maxMs: 20 } }, { observer });

    // Refused is final: a dead letter on its first attempt, not after three claims of the same refusal.
    expect(await worker.drain({ until: 'empty' })).toMatchObject({ batches: 1, completed: 3, retried: 0, dead: 1 });
    expect([...(await t.indexed()).keys()].sort()).toEqual([...good].sort());
    expect(await t.queue()).toEqual({ completed: 3, dead: 1 });

    const [letter] = await t.repos.outbox.deadLetters({ limit: 10 });
    expect(letter).toMatchObject({ listingId: bad.id, attempts: 1 });
    // pgsearch: the statement, then "string is too long for tsvector" (hence `s`: the statement spans lines);
    // OpenSearch: 400 mapper_parsing_exception "The number of nested documents has exceeded the allowed limit".
    expect(letter?.error).toMatch(/^permanent: .*(too long for tsvector|nested documents has exceeded)/is);
    expect(observer.jobs.filter((job) => job.outcome === 'dead')).toEqual([
      { operation: 'update', outcome: 'dead', failure: 'permanent' },
    ]);

    // Fixed at the source, the dead letter is requeued and indexed.
    await t.world
      .knex('listings')
      .where({ id: bad.id })
      .update({ description: 'A plain chair', version: bad.version + 2 });
    await t.world.knex('listing_attributes').where({ listing_id: bad.id }).delete();
    const admin = new IndexingQueueAdmin({ outbox: t.repos.outbox, clock: systemClock });
    expect(await admin.retryDead({})).toEqual({ dryRun: false, requeued: 1, notDead: [] });
    await worker.drain({ until: 'empty' });
    expect((await t.indexed()).get(bad.id)).toBe(bad.version + 2);
  });

  it('pauses (nothing claimed) and resumes', async () => {
    const worker = t.worker({ pollIntervalMs: 20, concurrency: 2 });
    worker.start();
    try {
      const first = await t.world.newListingWithStatus('active');
      await eventually(async () => (await t.indexed()).has(first.id));
      await worker.pause();
      expect(worker.state).toBe('paused');
      const second = await t.world.newListingWithStatus('active');
      await sleep(300);
      expect((await t.indexed()).has(second.id)).toBe(false);
      // (The first listing may have made two jobs: the worker can claim its create before its publish.)
      expect(await t.queue()).toMatchObject({ pending: 1 });
      expect((await t.queue()).processing).toBeUndefined();

      worker.resume();
      await eventually(async () => (await t.indexed()).has(second.id));
    } finally {
      await worker.stop();
    }
    expect(worker.state).toBe('stopped');
  });

  it('stop() finishes the batch in flight before it resolves', async () => {
    const listing = await t.world.newListingWithStatus('active');
    const faulty = new FaultySearchIndex(t.index);
    const hold = faulty.holdNextWrite();
    const worker = t.worker({ concurrency: 1 }, { searchIndex: faulty.index });
    worker.start();
    await hold.reached;

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await sleep(150);
    expect(stopped).toBe(false);
    hold.release();
    await stopping;

    expect(await t.queue()).toEqual({ completed: 1 });
    expect((await t.indexed()).get(listing.id)).toBe(listing.version);
  });

  it('reports queue statistics every statsIntervalMs while running', async () => {
    await t.world.newListingWithStatus('active');
    const observer = new RecordingObserver();
    const worker = t.worker({ statsIntervalMs: 100, pollIntervalMs: 20 }, { observer });
    worker.start();
    try {
      await eventually(() => observer.stats.length >= 3);
      await eventually(async () => (await t.queue()).completed === 1);
      await eventually(() => observer.stats.at(-1)?.pending === 0);
    } finally {
      await worker.stop();
    }
    expect(observer.stats[0]).toMatchObject({ dead: 0, failed: 0 });
  });
});
