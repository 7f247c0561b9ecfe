import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENGINES, openWorkerWorld, type WorkerWorld } from './worker-fixture.ts';

const FIXTURE = resolve(import.meta.dirname, 'fixtures/worker-process.ts');
const LEASE_MS = 2_000;

let t: WorkerWorld;

beforeAll(async () => {
  t = await openWorkerWorld(ENGINES.find((engine) => engine.name === 'pgsearch') as (typeof ENGINES)[number]);
});
afterAll(async () => {
  await t?.dispose();
});

// A real `kill -9` of a worker process in the middle of a batch: its claimed jobs stay `processing` under its lease,
// and a second worker takes them over when the lease runs out. Every listing ends up indexed, none twice as dead.
it('a worker killed with SIGKILL mid-batch loses no job', async () => {
  const ids: number[] = [];
  for (let i = 0; i < 20; i++) ids.push((await t.world.newListingWithStatus('active', { title: `Sofa ${i}` })).id);

  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, WORKER_DB_URL: t.world.db.url as string, WORKER_LEASE_MS: String(LEASE_MS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  try {
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('writing')) done();
      });
      child.on('exit', () => fail(new Error('the worker process exited before writing')));
    });
  } finally {
    child.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');

  const held = await t.world.knex('indexing_queue').where({ status: 'processing' }).select('locked_by');
  expect(held.length).toBeGreaterThan(0);
  expect(held.every((row) => String(row.locked_by).startsWith('doomed:'))).toBe(true);
  expect(await t.indexed()).toEqual(new Map());

  await new Promise((done) => setTimeout(done, LEASE_MS + 200));
  const report = await t.worker().drain({ until: 'empty' });

  expect(report).toMatchObject({ dead: 0, retried: 0 });
  expect(await t.queue()).toEqual({ completed: 20 });
  expect([...(await t.indexed()).keys()].sort()).toEqual([...ids].sort());
});
