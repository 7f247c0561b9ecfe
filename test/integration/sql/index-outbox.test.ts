import { describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../ports/index-outbox.ts';
import { describeIndexOutboxContract } from '../../contracts/index-outbox.contract.ts';
import { openSqlHarness, SQL_TARGETS } from './sql-harness.ts';

for (const target of SQL_TARGETS) describeIndexOutboxContract(target, () => openSqlHarness(target));

describe.each(SQL_TARGETS)('KnexIndexOutbox on %s: settling a batch', (target) => {
  it('completes or fails any number of jobs with one statement', async () => {
    const harness = await openSqlHarness(target);
    try {
      const outbox = harness.plain.outbox;
      await outbox.enqueue(
        Array.from({ length: 100 }, (_, i) => ({ listingId: i + 1, version: 1, operation: 'index' })),
      );
      const jobs = await outbox.claim({ workerId: 'w', limit: 100, leaseMs: 60_000 });
      const statements: string[] = [];
      const record = (query: { sql: string }) => statements.push(query.sql);
      harness.knex.on('query', record);
      try {
        expect(await outbox.completeMany(jobs.slice(0, 60))).toEqual(new Array(60).fill(true));
        const failures = jobs.slice(60).map((job) => ({ job, error: 'refused', retryAt: new Date(), permanent: true }));
        expect(await outbox.failMany(failures)).toEqual(new Array(40).fill('dead'));
      } finally {
        harness.knex.off('query', record);
      }
      expect(statements).toHaveLength(2);
      expect(await outbox.stats()).toMatchObject({ processing: 0, dead: 40 });
    } finally {
      await harness.dispose();
    }
  });
});

describe.each(SQL_TARGETS)('KnexIndexOutbox on %s: claiming after the jobs it claimed', (target) => {
  const entries = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ listingId: i + 1, version: 1, operation: 'index' as const }));
  const listingsOf = (jobs: readonly ClaimedJob[]) => jobs.map((job) => job.listingId);

  it('resumes after its last full claim, and claims what is due below it once the queue past it runs dry', async () => {
    const harness = await openSqlHarness(target);
    try {
      const outbox = harness.plain.outbox;
      const claim = () => outbox.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 });
      await outbox.enqueue(entries(30));
      const first = await claim();
      expect(listingsOf(first)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // Due again at once, below the point the next claim resumes from.
      await outbox.fail(first[0] as ClaimedJob, { error: 'retryable: 503', retryAt: new Date(Date.now() - 60_000) });
      expect(listingsOf(await claim())).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
      expect(listingsOf(await claim())).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
      expect(listingsOf(await claim())).toEqual([1]);
      expect(await claim()).toEqual([]);
    } finally {
      await harness.dispose();
    }
  });

  it('still answers the five-argument claim of a worker of the previous release', async () => {
    const harness = await openSqlHarness(target);
    try {
      await harness.plain.outbox.enqueue(entries(3));
      const claimed = (await harness.knex.raw('SELECT * FROM claim_indexing_jobs(?, ?, ?, ?, ?::bigint)', [
        'previous-release',
        2,
        60_000,
        13,
        '1',
      ])) as { rows: { listing_id: number | string; status: string }[] };
      expect(claimed.rows.map((row) => [Number(row.listing_id), row.status])).toEqual([
        [1, 'processing'],
        [2, 'processing'],
      ]);
    } finally {
      await harness.dispose();
    }
  });

  it('starts from the first due id at least every 16th claim while a backlog keeps the claims full', async () => {
    const harness = await openSqlHarness(target);
    try {
      const outbox = harness.plain.outbox;
      const claim = () => outbox.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
      await outbox.enqueue(entries(40));
      const [first] = await claim();
      await outbox.fail(first as ClaimedJob, { error: 'retryable: 503', retryAt: new Date(Date.now() - 60_000) });
      const next: number[] = [];
      for (let i = 0; i < 16; i++) next.push(...listingsOf(await claim()));
      expect(next).toEqual([...Array.from({ length: 15 }, (_, i) => i + 2), 1]);
    } finally {
      await harness.dispose();
    }
  });
});

describe.each(SQL_TARGETS)('KnexIndexOutbox on %s: updated_at', (target) => {
  it('moves with claims, completions, failures and any other update (20261126091000)', async () => {
    const harness = await openSqlHarness(target);
    try {
      const outbox = harness.plain.outbox;
      await outbox.enqueue([1, 2, 3, 4].map((listingId) => ({ listingId, version: 1, operation: 'index' as const })));
      // A statement that sets the column keeps its value: the trigger fills it in only for those that do not.
      await harness.knex.raw(`UPDATE indexing_queue SET updated_at = '2001-01-01T00:00:00Z'`);
      const stale = async () =>
        (
          (await harness.knex.raw(
            `SELECT listing_id FROM indexing_queue WHERE updated_at < '2002-01-01T00:00:00Z' ORDER BY listing_id`,
          )) as { rows: { listing_id: number | string }[] }
        ).rows.map((row) => Number(row.listing_id));
      expect(await stale()).toEqual([1, 2, 3, 4]);

      const [first, second, third] = await outbox.claim({ workerId: 'w', limit: 3, leaseMs: 60_000 });
      expect(await stale()).toEqual([4]);
      // Another value: an update writing the value the row holds is one that leaves it as it was (now() then).
      await harness.knex.raw(`UPDATE indexing_queue SET updated_at = '2001-06-01T00:00:00Z'`);
      expect(await stale()).toEqual([1, 2, 3, 4]);
      expect(await outbox.completeMany([first as ClaimedJob])).toEqual([true]);
      expect(await outbox.failMany([{ job: second as ClaimedJob, error: '503', retryAt: new Date() }])).toEqual([
        'retry',
      ]);
      // An update that does not name the column, as a worker of the previous release completes a job.
      await harness.knex.raw(`UPDATE indexing_queue SET status = 'completed' WHERE id = ?`, [(third as ClaimedJob).id]);
      expect(await stale()).toEqual([4]);
    } finally {
      await harness.dispose();
    }
  });
});
