import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPgliteKnex } from '../../../adapters/pglite/pglite-knex.ts';
import { createPostgresKnex } from '../../../adapters/postgres/postgres-knex.ts';
import { KnexUnitOfWork } from '../../../adapters/sql/knex-unit-of-work.ts';
import { createPlainRepositories } from '../../../adapters/sql/sql-repositories.ts';
import type { TransactionScope } from '../../../ports/unit-of-work.ts';
import { newListing, rejectionOf } from '../../contracts/unit-of-work.contract.ts';
import { openSqlHarness, type SqlHarness } from './sql-harness.ts';

/** A promise to resolve from outside, to hold a transaction open while another session acts. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** What only a server with several sessions can show: PGlite has one, so these run on PostgreSQL 15. */
describe('SQL adapters under concurrent sessions (PostgreSQL 15)', () => {
  let harness: SqlHarness;
  let categoryId: number;
  beforeAll(async () => {
    harness = await openSqlHarness('postgres');
  });
  afterAll(async () => {
    await harness?.dispose();
  });
  beforeEach(async () => {
    await harness.reset();
    categoryId = await harness.seedCategory({ slug: 'bikes' });
  });

  /** Runs `during` while a unit of work that did `work` stays open; the transaction always ends before returning. */
  async function whileOpen<T>(work: (tx: TransactionScope) => Promise<unknown>, during: () => Promise<T>): Promise<T> {
    const release = gate();
    const done = gate();
    const run = harness.uow.run(async (tx) => {
      await work(tx);
      done.open();
      await release.opened;
    });
    try {
      await Promise.race([done.opened, run]);
      return await during();
    } finally {
      release.open();
      await run;
    }
  }

  it('retries a real serialization failure between two serializable transactions (write skew)', async () => {
    let calls = 0;
    const bothRead = gate();
    let readers = 0;
    const work = async (tx: TransactionScope) => {
      calls++;
      const { total } = await tx.listings.list({ categoryId }, { limit: 1, offset: 0 });
      if (calls <= 2 && ++readers === 2) bothRead.open();
      if (calls <= 2) await bothRead.opened;
      return tx.listings.insert(newListing(categoryId, { title: `Seen ${total} before` }));
    };
    await Promise.all([
      harness.uow.run(work, { isolation: 'serializable' }),
      harness.uow.run(work, { isolation: 'serializable' }),
    ]);
    expect(calls).toBe(3);
    const { items } = await harness.plain.listings.list({ categoryId }, { limit: 10, offset: 0 });
    expect(items.map((item) => item.title).sort()).toEqual(['Seen 0 before', 'Seen 1 before']);
  });

  it('claims past a pending job that a write transaction holds, without waiting for it', async () => {
    await harness.plain.outbox.enqueue([{ listingId: 1, version: 1, operation: 'index' }]);
    await harness.plain.outbox.enqueue([{ listingId: 2, version: 1, operation: 'index' }]);
    const jobs = await whileOpen(
      (tx) => tx.outbox.enqueue([{ listingId: 1, version: 2, operation: 'update' }]),
      async () => {
        const started = Date.now();
        const claimed = await harness.plain.outbox.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 });
        expect(Date.now() - started).toBeLessThan(2_000);
        return claimed;
      },
    );
    expect(jobs.map((job) => job.listingId)).toEqual([2]);
    const later = await harness.plain.outbox.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 });
    expect(later.map((job) => [job.listingId, job.version, job.operation])).toEqual([[1, 2, 'update']]);
  });

  it('does not move a mark past a transaction still running: its entry comes later, in xid order', async () => {
    const outbox = harness.plain.outbox;
    const mark = await whileOpen(
      (tx) => tx.outbox.enqueue([{ listingId: 1, version: 1, operation: 'index' }]),
      async () => {
        const position = await outbox.mark();
        await outbox.enqueue([{ listingId: 2, version: 1, operation: 'index' }]);
        // The slow writer began before listing 2's entry and may still commit: nothing past it is reported yet.
        expect((await outbox.changesSince(position, 10)).entries).toEqual([]);
        return position;
      },
    );
    let changes = await outbox.changesSince(mark, 10);
    for (let tries = 0; changes.entries.length < 2 && tries < 100; tries++) {
      await sleep(50);
      changes = await outbox.changesSince(mark, 10);
    }
    expect(changes.entries.map((entry) => entry.listingId)).toEqual([1, 2]);
  });

  it('reserves an idempotency key for exactly one of many concurrent requests', async () => {
    const key = { scope: 'listings.create', principal: 'user:7', key: 'same-key' };
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => harness.plain.idempotency.reserve(key, 'hash', 60_000)),
    );
    expect(outcomes.filter((outcome) => outcome.state === 'reserved')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.state === 'in_progress')).toHaveLength(7);
  });

  it('counts a favorite once when the same user adds it from many sessions at once', async () => {
    const listing = await harness.plain.listings.insert(newListing(categoryId));
    const added = await Promise.all(
      Array.from({ length: 8 }, () => harness.plain.favorites.add(5, listing.id, new Date())),
    );
    expect(added.filter(Boolean)).toHaveLength(1);
    expect(await harness.plain.listings.findRow(listing.id)).toMatchObject({ favoritesCount: 1, version: 1 });
  });

  it('reports a statement timeout as DEADLINE_EXCEEDED', async () => {
    const listing = await harness.plain.listings.insert(newListing(categoryId));
    const impatient = createPostgresKnex({ url: harness.url as string, poolMax: 2, statementTimeoutMs: 200 });
    try {
      const error = await whileOpen(
        (tx) => tx.listings.findRow(listing.id, { forUpdate: true }),
        () =>
          rejectionOf(new KnexUnitOfWork(impatient).run((tx) => tx.listings.findRow(listing.id, { forUpdate: true }))),
      );
      expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', details: { sqlState: '57014' } });
    } finally {
      await impatient.destroy();
    }
  });
});

describe('SQL adapters without a database', () => {
  it('report an unreachable server and a closed PGlite as DEPENDENCY_UNAVAILABLE', async () => {
    const unreachable = createPostgresKnex({ url: 'postgres://listings:x@127.0.0.1:1/none', acquireTimeoutMs: 1_000 });
    const closed = await createPgliteKnex();
    await closed.destroy();
    try {
      for (const knex of [unreachable, closed]) {
        const error = await rejectionOf(createPlainRepositories(knex).listings.findRow(1));
        expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
        const inUnitOfWork = await rejectionOf(new KnexUnitOfWork(knex).run((tx) => tx.outbox.stats()));
        expect(inUnitOfWork.code).toBe('DEPENDENCY_UNAVAILABLE');
      }
    } finally {
      await unreachable.destroy();
    }
  });
});
