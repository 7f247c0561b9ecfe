import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instrumentDatabase } from '../../../adapters/composition/database-metrics.ts';
import { createMetricSet } from '../../../adapters/prometheus/metric-set.ts';
import { type PreparedStatement, runPrepared } from '../../../adapters/sql/prepared-statement.ts';
import { newListing } from '../../contracts/unit-of-work.contract.ts';
import { openSqlHarness, SQL_TARGETS, type SqlHarness } from './sql-harness.ts';

interface SeenQuery {
  readonly __knexQueryUid?: string;
  readonly sql?: string;
}

describe.each(SQL_TARGETS)('runPrepared on %s', (target) => {
  let harness: SqlHarness;
  let categoryId: number;
  beforeAll(async () => {
    harness = await openSqlHarness(target);
  });
  afterAll(async () => {
    await harness?.dispose();
  });
  beforeEach(async () => {
    await harness.reset();
    categoryId = await harness.seedCategory({ slug: 'bikes' });
  });

  const sum = { name: 'test_prepared_sum', text: 'SELECT $1::int + $2::int AS total' };

  it('returns the rows and is seen by knex listeners as one query with its response (database metrics)', async () => {
    const started: SeenQuery[] = [];
    const answered: { response: unknown; query: SeenQuery }[] = [];
    const onQuery = (query: SeenQuery) => started.push(query);
    const onResponse = (response: unknown, query: SeenQuery) => answered.push({ response, query });
    harness.knex.on('query', onQuery).on('query-response', onResponse);
    try {
      expect(await runPrepared(harness.knex, sum, [2, 3])).toEqual([{ total: 5 }]);
      expect(await runPrepared(harness.knex, sum, [4, 5])).toEqual([{ total: 9 }]);
    } finally {
      harness.knex.off('query', onQuery).off('query-response', onResponse);
    }
    expect(started).toHaveLength(2);
    expect(answered).toHaveLength(2);
    expect(answered.map((entry) => entry.query.__knexQueryUid)).toEqual(started.map((query) => query.__knexQueryUid));
    expect(new Set(started.map((query) => query.__knexQueryUid)).size).toBe(2);
    expect(started[0]?.sql).toMatch(/^SELECT \$1::int \+ \$2::int/);
    expect(answered[0]?.response).toMatchObject({ rows: [{ total: 5 }] });
  });

  it('runs on the transaction it is given, and refuses a transaction that completed', async () => {
    let completed: Parameters<Parameters<typeof harness.knex.transaction>[0]>[0] | undefined;
    await harness.knex.transaction(async (trx) => {
      completed = trx;
      await trx.raw('CREATE TEMPORARY TABLE only_here (n int) ON COMMIT DROP');
      await trx.raw('INSERT INTO only_here VALUES (7)');
      const rows = await runPrepared(trx, { name: 'test_prepared_temp', text: 'SELECT n FROM only_here' }, []);
      expect(rows).toEqual([{ n: 7 }]);
    });
    await expect(runPrepared(completed!, sum, [1, 1])).rejects.toThrow(/Transaction query already complete/);
  });

  it('rejects with the driver error, reports query-error, and returns the connection to the pool', async () => {
    const failed: SeenQuery[] = [];
    const onError = (_error: unknown, query: SeenQuery) => failed.push(query);
    harness.knex.on('query-error', onError);
    const divide = { name: 'test_prepared_divide', text: 'SELECT 1 / $1::int AS x' };
    try {
      // More failures than the pool has connections (4 on PostgreSQL, 1 on PGlite): a leak would hang the next call.
      for (let i = 0; i < 6; i++)
        await expect(runPrepared(harness.knex, divide, [0])).rejects.toMatchObject({ code: '22012' });
    } finally {
      harness.knex.off('query-error', onError);
    }
    expect(failed).toHaveLength(6);
    expect(await runPrepared(harness.knex, divide, [1])).toEqual([{ x: 1 }]);
  });

  it('is timed by the database metrics as a select (listings_db_query_duration_seconds)', async () => {
    const metrics = createMetricSet({ collectProcessMetrics: false });
    // instrumentDatabase samples the stock gauges with a select of its own at once: count from after it.
    const sampled = new Promise<void>((resolve) => {
      const onResponse = (_response: unknown, query: { sql?: string }) => {
        if (!query.sql?.includes('out_of_stock')) return;
        harness.knex.off('query-response', onResponse);
        resolve();
      };
      harness.knex.on('query-response', onResponse);
    });
    const stop = instrumentDatabase(harness.knex, metrics);
    await sampled;
    const selects = async () => {
      const { values } = await metrics.dbQueryDuration.get();
      const count = values.find((v) => v.metricName?.endsWith('_count') && v.labels.operation === 'select');
      return count?.value ?? 0;
    };
    try {
      const before = await selects();
      const stored = await harness.plain.listings.insert(newListing(categoryId));
      expect(await harness.plain.listings.findById(stored.id)).toMatchObject({ id: stored.id });
      expect(await harness.plain.listings.findById(stored.id + 1000)).toBeNull();
      expect((await selects()) - before).toBe(2);
    } finally {
      stop();
    }
  });

  it('lets ListingRepository.findById inside a unit of work read the transaction’s own uncommitted listing', async () => {
    const seen = await harness.uow.run(async (tx) => {
      const stored = await tx.listings.insert(newListing(categoryId, { title: 'Only inside' }));
      return tx.listings.findById(stored.id);
    });
    expect(seen).toMatchObject({ title: 'Only inside', images: [], tags: [], location: null });
  });
});

/** A backend killed while its statement waits: only a server has backends to kill. */
describe('runPrepared when its connection is lost mid-statement (PostgreSQL 15)', () => {
  let harness: SqlHarness;
  let blocker: pg.Client;
  beforeAll(async () => {
    harness = await openSqlHarness('postgres');
    await harness.knex.raw('CREATE TABLE lost_connection_probe (n int); INSERT INTO lost_connection_probe VALUES (1)');
    blocker = new pg.Client({ connectionString: harness.url });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker?.end();
    await harness?.dispose();
  });

  /** Runs `statement` while the table is locked, kills the backend waiting on the lock, then releases the lock. */
  async function killedWhileWaiting(statement: PreparedStatement): Promise<unknown> {
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE lost_connection_probe IN ACCESS EXCLUSIVE MODE');
    const answer = runPrepared(harness.knex, statement, []).then(
      (rows) => ({ rows }),
      (error: unknown) => ({ error }),
    );
    const waiting = async () =>
      (
        await blocker.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      ).rows;
    await expect.poll(async () => (await waiting()).length, { timeout: 10_000 }).toBe(1);
    const [victim] = await waiting();
    await blocker.query('SELECT pg_terminate_backend($1)', [victim?.pid]);
    await blocker.query('COMMIT');
    return answer;
  }

  it('sends a read once more on another connection and answers', async () => {
    const read = { name: 'lost_connection_read', text: 'SELECT n FROM lost_connection_probe', read: true };
    expect(await killedWhileWaiting(read)).toEqual({ rows: [{ n: 1 }] });
  });

  it('does not send a statement that is not marked as a read again: the caller gets the error', async () => {
    const other = { name: 'lost_connection_other', text: 'SELECT n FROM lost_connection_probe' };
    const outcome = (await killedWhileWaiting(other)) as { error?: { code?: string } };
    expect(outcome.error?.code).toBe('57P01');
  });
});
