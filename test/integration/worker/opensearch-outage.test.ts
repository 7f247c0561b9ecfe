import { afterAll, beforeAll, expect, it } from 'vitest';
import { opensearchUrl } from '../../support/servers.ts';
import { TcpOutage } from '../../support/tcp-outage.ts';
import { OWNER } from '../use-cases/listings/principals.ts';
import {
  type Engine,
  eventually,
  openSearchEngine,
  openWorkerWorld,
  RecordingObserver,
  type WorkerWorld,
} from './worker-fixture.ts';

const outage = new TcpOutage(opensearchUrl());
let opensearch: ReturnType<typeof openSearchEngine>;
let t: WorkerWorld;

beforeAll(async () => {
  await outage.up();
  const engine: Engine = {
    name: 'opensearch behind a proxy',
    open: () => {
      opensearch = openSearchEngine('worker_outage', `http://127.0.0.1:${outage.port}`);
      return opensearch;
    },
  };
  t = await openWorkerWorld(engine);
});
afterAll(async () => {
  await outage.down();
  await t?.dispose();
});

// The real OpenSearch adapter, its engine really unreachable for a while (connection refused), then back: the
// worker stops claiming while it is down and drains every write once it answers, with no dead letter.
it('drains every write made while OpenSearch was unreachable once it is back, with no dead letter', async () => {
  const before = await t.world.newListingWithStatus('active', { title: 'Before the outage' });
  const observer = new RecordingObserver();
  const worker = t.worker(
    { batchSize: 5, pollIntervalMs: 20, backoff: { baseMs: 100, maxMs: 400 }, breaker: { initialMs: 200, maxMs: 500 } },
    { observer },
  );
  worker.start();
  try {
    await eventually(async () => (await t.indexed()).has(before.id));

    await outage.down();
    const during: number[] = [];
    for (let i = 0; i < 12; i++)
      during.push((await t.world.newListingWithStatus('active', { title: `Outage ${i}` })).id);
    await t.world.remove.execute(OWNER, { id: before.id });
    await eventually(() => observer.availability.includes(false));
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // several probes fail: longer than 3 attempts' backoff
    expect(observer.errors).toContain('probe_failed');

    await outage.up();
    await eventually(async () => (await t.queue()).completed === (await t.world.count('indexing_queue')), 30_000);
    const indexed = await t.indexed();
    for (const id of during) expect(indexed.has(id)).toBe(true);
    expect(indexed.has(before.id)).toBe(false); // the delete made during the outage reached the index too
  } finally {
    await worker.stop();
  }
  expect(await t.queue()).not.toHaveProperty('dead');
  expect(observer.jobs.filter((job) => job.outcome === 'dead')).toEqual([]);
  expect(observer.availability.at(-1)).toBe(true);
});
