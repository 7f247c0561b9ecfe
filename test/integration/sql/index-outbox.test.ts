import { describe, expect, it } from 'vitest';
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
