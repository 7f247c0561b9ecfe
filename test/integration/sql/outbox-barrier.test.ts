import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { expect, it } from 'vitest';
import { openSqlHarness } from './sql-harness.ts';

// The change feed's barrier on the real PostgreSQL 15, with a second session holding a writing transaction open.
it('holds a barrier while a transaction older than it runs, and passes once it commits, showing its entry', async () => {
  const harness = await openSqlHarness('postgres');
  const writer = new pg.Client({ connectionString: harness.url });
  await writer.connect();
  try {
    const outbox = harness.plain.outbox;
    const origin = await outbox.mark();
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO indexing_queue (listing_id, operation, listing_version) VALUES (41, 'update', 3)`);
    const barrier = await outbox.barrier();
    expect(await outbox.passed(barrier)).toBe(false);
    expect((await outbox.changesSince(origin, 10)).entries).toEqual([]);
    await writer.query('COMMIT');
    let passed = false;
    // Another suite's long transaction on the shared server may hold it back too: poll for up to 100 s.
    for (let tries = 0; tries < 2000 && !passed; tries++) {
      passed = await outbox.passed(barrier);
      if (!passed) await sleep(50);
    }
    expect(passed).toBe(true);
    expect((await outbox.changesSince(origin, 10)).entries).toEqual([
      { listingId: 41, version: 3, operation: 'update' },
    ]);
  } finally {
    await writer.end();
    await harness.dispose();
  }
}, 120_000);
