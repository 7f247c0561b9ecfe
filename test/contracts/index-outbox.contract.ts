import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClaimedJob, IndexOutbox, OutboxEntry } from '../../ports/index-outbox.ts';
import { newListing, type StoreHarness, useStoreHarness } from './unit-of-work.contract.ts';

const LEASE = 60_000;
const past = () => new Date(Date.now() - 60_000);
const future = () => new Date(Date.now() + 3_600_000);
const entry = (listingId: number, version = 1, operation: OutboxEntry['operation'] = 'index'): OutboxEntry => ({
  listingId,
  version,
  operation,
});

/** The behaviour of every IndexOutbox adapter (ports/index-outbox.ts). */
export function describeIndexOutboxContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`IndexOutbox contract: ${name}`, () => {
    const store = useStoreHarness(factory);
    const outbox = (): IndexOutbox => store().plain.outbox;
    const claim = (workerId: string, limit = 10, leaseMs = LEASE) => outbox().claim({ workerId, limit, leaseMs });
    // An entry shows up once every transaction that began before it has ended (the adapter may wait for that; on a
    // PostgreSQL server shared with other suites, any long transaction in any database delays it): poll until
    // `count` entries are there, for up to 20 s.
    const changes = async (since: string, limit: number, count: number) => {
      for (let tries = 0; ; tries++) {
        const result = await outbox().changesSince(since, limit);
        if (result.entries.length >= count || tries >= 400) return result;
        await sleep(50);
      }
    };
    let origin: string;
    beforeEach(async () => {
      origin = await outbox().mark();
    });

    it('coalesces enqueues of one listing into one pending job with the newest operation and higher version', async () => {
      await outbox().enqueue([entry(1, 3, 'index')]);
      await outbox().enqueue([entry(1, 2, 'delete'), entry(2, 1), entry(2, 5, 'update')]);
      expect(await outbox().stats()).toMatchObject({ pending: 2, processing: 0, failed: 0, dead: 0 });
      const jobs = await claim('w1');
      expect(jobs.map((job) => [job.listingId, job.version, job.operation])).toEqual([
        [1, 3, 'delete'],
        [2, 5, 'update'],
      ]);
      expect(jobs[0]).toMatchObject({ attempt: 1, maxAttempts: 3, workerId: 'w1' });
      expect(jobs[0]?.lockedAt).toBeInstanceOf(Date);
      expect(jobs[0]?.enqueuedAt).toBeInstanceOf(Date);
    });

    it('commits the entry with the write and keeps it when the listing is hard-deleted', async () => {
      const categoryId = await store().seedCategory({ slug: 'bikes' });
      const listing = await store().uow.run(async (tx) => {
        const stored = await tx.listings.insert(newListing(categoryId));
        await tx.outbox.enqueue([entry(stored.id, stored.version)]);
        return stored;
      });
      await store().uow.run(async (tx) => {
        const gone = await tx.listings.hardDelete(listing.id);
        await tx.outbox.enqueue([entry(listing.id, (gone?.version ?? 0) + 1, 'delete')]);
      });
      expect((await claim('w1')).map((job) => [job.listingId, job.version, job.operation])).toEqual([
        [listing.id, 2, 'delete'],
      ]);
    });

    it('claims oldest first, at most limit, and nothing when nothing is due', async () => {
      for (const id of [5, 3, 9]) await outbox().enqueue([entry(id)]);
      expect((await claim('w1', 2)).map((job) => job.listingId)).toEqual([5, 3]);
      expect((await claim('w1', 2)).map((job) => job.listingId)).toEqual([9]);
      expect(await claim('w1', 2)).toEqual([]);
      expect(await outbox().stats()).toMatchObject({ pending: 0, processing: 3, oldestDueAgeMs: null });
    });

    it('gives concurrent claims disjoint jobs', async () => {
      await outbox().enqueue(Array.from({ length: 20 }, (_, i) => entry(i + 1)));
      const [a, b] = await Promise.all([claim('a', 15), claim('b', 15)]);
      const ids = [...(a ?? []), ...(b ?? [])].map((job) => job.id);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
    });

    it('does not claim a listing while another of its jobs is leased', async () => {
      await outbox().enqueue([entry(1, 1)]);
      const [first] = await claim('a');
      await outbox().enqueue([entry(1, 2), entry(2, 1)]);
      expect((await claim('b')).map((job) => job.listingId)).toEqual([2]);
      expect(await outbox().complete(first as ClaimedJob)).toBe(true);
      expect((await claim('b')).map((job) => [job.listingId, job.version])).toEqual([[1, 2]]);
    });

    it('lets another worker take over an expired lease; the first worker has lost it', async () => {
      await outbox().enqueue([entry(1)]);
      // A lease long enough for the second claim to come first even on a busy machine.
      const [mine] = (await claim('a', 10, 1_500)) as [ClaimedJob];
      expect(await claim('b')).toEqual([]);
      await sleep(1_700);
      const [theirs] = (await claim('b')) as [ClaimedJob];
      expect(theirs).toMatchObject({ id: mine.id, attempt: 2, workerId: 'b' });
      expect(await outbox().complete(mine)).toBe(false);
      expect(await outbox().fail(mine, { error: 'late', retryAt: past() })).toBe('lease_lost');
      expect(await outbox().complete(theirs)).toBe(true);
      expect(await outbox().complete(theirs)).toBe(false);
      expect(await outbox().stats()).toMatchObject({ pending: 0, processing: 0, failed: 0, dead: 0 });
    });

    it('makes a job dead when its lease expires on the last attempt (a job that kills its worker)', async () => {
      await outbox().enqueue([entry(3)]);
      for (const attempt of [1, 2, 3]) {
        const [job] = await claim(`crashing-${attempt}`, 10, 30);
        expect(job?.attempt).toBe(attempt);
        await sleep(60);
      }
      expect(await claim('w')).toEqual([]);
      const [dead] = await outbox().deadLetters({ limit: 10 });
      expect(dead).toMatchObject({ listingId: 3, attempts: 3 });
      expect(dead?.error).toContain('lease expired');
    });

    it('retries a failed job after its backoff and makes the last failure a dead letter', async () => {
      await outbox().enqueue([entry(7, 4, 'update')]);
      const [first] = (await claim('w')) as [ClaimedJob];
      expect(await outbox().fail(first, { error: 'search is down', retryAt: future() })).toBe('retry');
      expect(await claim('w')).toEqual([]);
      expect(await outbox().stats()).toMatchObject({ failed: 1, oldestDueAgeMs: null });

      await store().reset();
      await outbox().enqueue([entry(7, 4, 'update')]);
      let job = (await claim('w'))[0] as ClaimedJob;
      for (const attempt of [1, 2]) {
        expect(job.attempt).toBe(attempt);
        expect(await outbox().fail(job, { error: `failure ${attempt}`, retryAt: past() })).toBe('retry');
        const stats = await outbox().stats();
        expect(stats.failed).toBe(1);
        expect(stats.oldestDueAgeMs).toBeGreaterThanOrEqual(0);
        job = (await claim('w'))[0] as ClaimedJob;
      }
      expect(job.attempt).toBe(3);
      expect(await outbox().fail(job, { error: 'x'.repeat(5000), retryAt: past() })).toBe('dead');
      expect(await claim('w')).toEqual([]);
      const [dead] = await outbox().deadLetters({ limit: 10 });
      expect(dead).toMatchObject({ id: job.id, listingId: 7, version: 4, operation: 'update', attempts: 3 });
      expect(dead?.error).toHaveLength(2000);
      expect(dead?.failedAt).toBeInstanceOf(Date);
      expect(await outbox().stats()).toMatchObject({ pending: 0, failed: 0, dead: 1 });
    });

    it('completes a batch at once, reporting per job which leases were lost', async () => {
      await outbox().enqueue([entry(1), entry(2), entry(3)]);
      const jobs = await claim('w');
      const [first, second, third] = jobs as [ClaimedJob, ClaimedJob, ClaimedJob];
      const stolen = { ...second, workerId: 'someone-else' };
      expect(await outbox().completeMany([third, stolen, first])).toEqual([true, false, true]);
      expect(await outbox().completeMany([])).toEqual([]);
      expect(await outbox().completeMany([first])).toEqual([false]);
      expect(await outbox().stats()).toMatchObject({ pending: 0, processing: 1 });
      expect(await outbox().complete(second)).toBe(true);
      expect(await outbox().stats()).toMatchObject({ pending: 0, processing: 0, failed: 0, dead: 0 });
    });

    it('fails a batch at once: a permanent failure is dead on its first attempt, the others retry', async () => {
      await outbox().enqueue([entry(1), entry(2), entry(3)]);
      const [a, b, c] = (await claim('w')) as [ClaimedJob, ClaimedJob, ClaimedJob];
      const outcomes = await outbox().failMany([
        { job: a, error: 'retryable: 503', retryAt: past() },
        { job: b, error: 'permanent: mapper_parsing_exception', retryAt: past(), permanent: true },
        { job: { ...c, lockedAt: new Date(c.lockedAt.getTime() - 1) }, error: 'late', retryAt: past() },
      ]);
      expect(outcomes).toEqual(['retry', 'dead', 'lease_lost']);
      expect(await outbox().failMany([])).toEqual([]);
      const [dead] = await outbox().deadLetters({ limit: 10 });
      expect(dead).toMatchObject({ listingId: 2, attempts: 1, error: 'permanent: mapper_parsing_exception' });
      expect(await outbox().stats()).toMatchObject({ pending: 0, processing: 1, failed: 1, dead: 1 });
      expect((await claim('w')).map((job) => [job.listingId, job.attempt])).toEqual([[1, 2]]);
      expect(await outbox().fail(c, { error: 'refused', retryAt: future(), permanent: true })).toBe('dead');
    });

    it('requeues dead letters (all or by id) with fresh attempts, coalescing with a pending job', async () => {
      for (const id of [1, 2, 3]) await outbox().enqueue([entry(id, 10)]);
      await killAll(outbox(), 3);
      const dead = await outbox().deadLetters({ limit: 10 });
      expect(dead.map((letter) => letter.listingId)).toEqual([1, 2, 3]);
      expect((await outbox().deadLetters({ limit: 10, afterId: dead[0]?.id })).map((d) => d.listingId)).toEqual([2, 3]);
      await outbox().enqueue([entry(2, 11)]);
      expect(await outbox().requeueDead([dead[0]?.id as number, dead[1]?.id as number])).toBe(2);
      expect(await outbox().stats()).toMatchObject({ pending: 2, dead: 1 });
      const jobs = await claim('w');
      expect(jobs.map((job) => [job.listingId, job.version, job.attempt])).toEqual([
        [2, 11, 1],
        [1, 10, 1],
      ]);
      expect(await outbox().requeueDead([])).toBe(0);
      expect(await outbox().requeueDead()).toBe(1);
      expect(await outbox().stats()).toMatchObject({ pending: 1, dead: 0 });
    });

    it('purges completed jobs processed before a time, at most limit', async () => {
      await outbox().enqueue([entry(1), entry(2), entry(3)]);
      for (const job of await claim('w')) await outbox().complete(job);
      await outbox().enqueue([entry(4)]);
      expect(await outbox().purgeCompleted(past())).toBe(0);
      expect(await outbox().purgeCompleted(future(), 2)).toBe(2);
      expect(await outbox().purgeCompleted(future())).toBe(1);
      expect(await outbox().stats()).toMatchObject({ pending: 1 });
    });

    it('lists changes since a mark in order, whatever their state; coalescing moves an entry forward', async () => {
      await outbox().enqueue([entry(1, 1)]);
      await outbox().enqueue([entry(2, 1)]);
      const first = await changes(origin, 10, 2);
      expect(first.entries).toEqual([entry(1, 1), entry(2, 1)]);

      const [job] = await claim('w', 1);
      await outbox().complete(job as ClaimedJob);
      await outbox().enqueue([entry(3, 1)]);
      const second = await changes(first.next, 10, 1);
      expect(second.entries).toEqual([entry(3, 1)]);

      await outbox().enqueue([entry(2, 2, 'update')]);
      await outbox().enqueue([entry(4, 1)]);
      await outbox().enqueue([entry(2, 3, 'update')]);
      const page = await changes(second.next, 1, 1);
      expect(page.entries).toEqual([entry(4, 1)]);
      const rest = await changes(page.next, 10, 1);
      expect(rest.entries).toEqual([entry(2, 3, 'update')]);
      const none = await outbox().changesSince(rest.next, 10);
      expect(none).toEqual({ entries: [], next: rest.next });
      const all = await changes(origin, 10, 4);
      expect(all.entries.map((change) => change.listingId)).toEqual([1, 3, 4, 2]);
    });

    it('passes a barrier once everything committed before it is visible in the change feed', async () => {
      await outbox().enqueue([entry(7, 1)]);
      const barrier = await outbox().barrier();
      let passed = false;
      // Another suite's long transaction on a shared server holds it back for a while: poll for up to 100 s.
      for (let tries = 0; tries < 2000 && !passed; tries++) {
        passed = await outbox().passed(barrier);
        if (!passed) await sleep(50);
      }
      expect(passed).toBe(true);
      expect((await outbox().changesSince(origin, 10)).entries).toEqual([entry(7, 1)]);
      await expect(outbox().passed('not a mark')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }, 120_000);
  });
}

/** Fails every claimable job until it is dead. */
async function killAll(outbox: IndexOutbox, count: number): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const jobs = await outbox.claim({ workerId: 'w', limit: count, leaseMs: LEASE });
    for (const job of jobs) await outbox.fail(job, { error: 'broken', retryAt: past() });
  }
}
