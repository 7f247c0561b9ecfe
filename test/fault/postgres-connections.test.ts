/**
 * PostgreSQL connections killed under the running service (`pg_terminate_backend` on its backends, as a failover
 * or an operator does): requests fail cleanly (503 problem+json / gRPC UNAVAILABLE, never a 500), nothing is
 * half-written, /readyz says so while the database refuses connections, and the pool recovers by itself.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListingsClientError } from '../../adapters/grpc/client/index.ts';
import type { TestDatabase } from '../support/databases.ts';
import {
  eventually,
  type HttpAnswer,
  request,
  type ServiceUnderTest,
  seededDatabase,
  startServiceUnderTest,
  userToken,
} from '../support/service-under-test.ts';
import { adminQuery, allowConnections, databaseName, terminateBackends } from './support/admin-sql.ts';

let db: TestDatabase;
let name: string;
let categories: Record<string, number>;
let service: ServiceUnderTest;
let owner: string;

beforeAll(async () => {
  ({ db, categories } = await seededDatabase('listings_fault_pg'));
  name = databaseName(db.url as string);
  // No worker: its polling would only add lock waiters and log noise to what the tests look at.
  service = await startServiceUnderTest(db.url as string, { SVETULISTINGS_WORKER_ENABLED: 'false' });
  owner = await userToken('7');
});
afterAll(async () => {
  await allowConnections(name, true).catch(() => {});
  await service?.stop();
  await db?.dispose();
});

function createBody(title: string) {
  return { title, price: 10, currency: 'RSD', category_id: categories.bicycles, quantity: 1 };
}

/** A clean failure: 503, a problem document naming the dependency, nothing internal in it. */
function expectCleanUnavailable(answer: HttpAnswer, label: string): void {
  expect(answer.status, `${label}: ${answer.text}`).toBe(503);
  expect(answer.headers.get('content-type'), label).toContain('application/problem+json');
  expect(answer.json.code, label).toBe('DEPENDENCY_UNAVAILABLE');
  expect(answer.text, label).not.toMatch(/\bat .+\.ts:\d+|insert into|select .* from|terminating connection/i);
}

/** Listings the outbox does not know about: a write that committed its row but not its outbox entry. */
async function listingsWithoutOutbox(): Promise<number[]> {
  const rows = await adminQuery<{ id: string }>(
    `SELECT l.id FROM listings l
      WHERE NOT EXISTS (SELECT 1 FROM indexing_queue q WHERE q.listing_id = l.id)`,
    [],
    db.url,
  );
  return rows.map((row) => Number(row.id));
}

describe('PostgreSQL backends terminated', () => {
  it('mid-traffic: every request succeeds or fails with 503 problem+json, then all succeed again', async () => {
    const first = await request(service.base, 'POST', '/api/v1/listings', { token: owner, body: createBody('Seed') });
    expect(first.status, first.text).toBe(201);

    const answers: { label: string; answer: HttpAnswer }[] = [];
    let stop = false;
    const traffic = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const write = i % 2 === 0;
        const label = write ? `POST #${lane}.${i}` : `GET list #${lane}.${i}`;
        const answer = write
          ? await request(service.base, 'POST', '/api/v1/listings', { token: owner, body: createBody(`Lane ${lane}`) })
          : await request(service.base, 'GET', '/api/v1/listings?user_id=7&limit=5', { token: owner });
        answers.push({ label, answer });
      }
    };
    const lanes = [0, 1, 2].map(traffic);
    let killed = 0;
    for (let round = 0; round < 4; round++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      killed += await terminateBackends(name);
    }
    stop = true;
    await Promise.all(lanes);

    expect(killed).toBeGreaterThan(0);
    expect(answers.length).toBeGreaterThan(10);
    for (const { label, answer } of answers) {
      if (answer.status === 503) expectCleanUnavailable(answer, label);
      else expect([200, 201], `${label}: ${answer.status} ${answer.text}`).toContain(answer.status);
    }
    // Recovered by itself: the next requests succeed without any restart.
    const after = await request(service.base, 'POST', '/api/v1/listings', { token: owner, body: createBody('After') });
    expect(after.status, after.text).toBe(201);
    expect((await request(service.base, 'GET', `/api/v1/listings/${after.json.id}`, { token: owner })).status).toBe(
      200,
    );
    expect(await listingsWithoutOutbox()).toEqual([]);
    // The pool's own warnings about the dropped connections are structured lines of the service's log.
    expect(service.logLines.some((line) => /"component":"database".*Connection/.test(line))).toBe(true);
    for (const line of service.logLines) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it('a create whose transaction is killed leaves neither its listing nor its outbox entry, and answers 503', async () => {
    const before = await adminQuery<{ n: string }>('SELECT count(*) AS n FROM listings', [], db.url);
    // The outbox table is locked, so the create's transaction inserts its listing, then waits on its outbox entry.
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      const [{ pid: blockerPid }] = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
        { pid: number },
      ];
      await blocker.query('LOCK TABLE indexing_queue IN ACCESS EXCLUSIVE MODE');
      // A pooled connection killed by the test before may answer the first attempt (503, nothing written): retry.
      let pending: Promise<HttpAnswer> | undefined;
      let waiter: { pid: number } | undefined;
      for (let attempt = 0; attempt < 5 && waiter === undefined; attempt++) {
        const sent = request(service.base, 'POST', '/api/v1/listings', { token: owner, body: createBody('Killed') });
        let settled = false;
        void sent.then(() => {
          settled = true;
        });
        pending = sent;
        waiter = await eventually(async () => {
          const rows = await adminQuery<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> $2`,
            [name, blockerPid],
          );
          if (rows.length === 0 && settled) return undefined;
          expect(rows).toHaveLength(1);
          return rows[0];
        });
      }
      if (pending === undefined || waiter === undefined) throw new Error('the create never waited on the outbox');
      const inFlight = await adminQuery<{ n: string }>(
        `SELECT count(*) AS n FROM pg_locks WHERE pid = $1 AND relation = 'listings'::regclass`,
        [waiter.pid],
        db.url,
      );
      expect(Number(inFlight[0]?.n)).toBeGreaterThan(0); // the listing row is written, uncommitted
      await adminQuery('SELECT pg_terminate_backend($1)', [waiter.pid]);
      expectCleanUnavailable(await pending, 'create with its transaction killed');
      await blocker.query('COMMIT');
    } finally {
      await blocker.end();
    }
    const after = await adminQuery<{ n: string }>('SELECT count(*) AS n FROM listings', [], db.url);
    expect(after[0]?.n).toBe(before[0]?.n);
    expect(await listingsWithoutOutbox()).toEqual([]);
  });

  it('while the database refuses connections: /readyz 503 naming it, writes 503, gRPC UNAVAILABLE; then recovers', async () => {
    expect((await request(service.base, 'GET', '/readyz')).status).toBe(200);
    await allowConnections(name, false);
    try {
      await terminateBackends(name);
      const ready = await request(service.base, 'GET', '/readyz');
      expect(ready.status, ready.text).toBe(503);
      expect(ready.json.status).toBe('not_ready');
      expect(JSON.stringify(ready.json.failed ?? ready.json.checks)).toMatch(/postgres|database/);

      expectCleanUnavailable(
        await request(service.base, 'POST', '/api/v1/listings', { token: owner, body: createBody('Refused') }),
        'create while refused',
      );
      expectCleanUnavailable(
        await request(service.base, 'GET', '/api/v1/listings?user_id=7', { token: owner }),
        'list while refused',
      );
      const grpcError = await service
        .grpc(owner)
        .listListings({ userId: 7, limit: 5, offset: 0 })
        .catch((error: unknown) => error);
      expect(grpcError).toBeInstanceOf(ListingsClientError);
      expect((grpcError as ListingsClientError).code).toBe(GrpcStatus.UNAVAILABLE);
      expect((grpcError as ListingsClientError).details).not.toMatch(/select|insert|\.ts:\d+/i);
    } finally {
      await allowConnections(name, true);
    }
    await eventually(async () => expect((await request(service.base, 'GET', '/readyz')).status).toBe(200));
    const created = await request(service.base, 'POST', '/api/v1/listings', { token: owner, body: createBody('Back') });
    expect(created.status, created.text).toBe(201);
    const listed = await service.grpc(owner).listListings({ userId: 7, limit: 5, offset: 0 });
    expect(listed.listings.length).toBeGreaterThan(0);
  });
});
