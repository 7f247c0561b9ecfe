import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ENGINES, eventually, openWorkerWorld, type WorkerWorld } from './worker-fixture.ts';

const FIXTURE = resolve(import.meta.dirname, 'fixtures/worker-cli.ts');

let t: WorkerWorld;

beforeAll(async () => {
  t = await openWorkerWorld(ENGINES.find((engine) => engine.name === 'pgsearch') as (typeof ENGINES)[number]);
});
afterAll(async () => {
  await t?.dispose();
});
beforeEach(async () => {
  await t.reset();
});

function start(args: readonly string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SVETULISTINGS_')));
  const child = spawn(process.execPath, [FIXTURE, ...args], {
    env: {
      ...clean,
      SVETULISTINGS_DB_URL: t.world.db.url as string,
      SVETULISTINGS_SEARCH_ENGINE: 'postgres',
      SVETULISTINGS_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => {
    output.stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output.stderr += chunk;
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output, exited };
}

it('listings worker --drain indexes every due job once and prints the counts', async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await t.world.newListingWithStatus('active', { title: `Rug ${i}` })).id);
  const run = start(['--json', 'worker', '--drain']);
  expect(await run.exited).toBe(0);
  expect(JSON.parse(run.output.stdout)).toMatchObject({
    batches: 1,
    completed: 3,
    dead: 0,
    queue: { pending: 0, processing: 0, failed: 0, dead: 0 },
  });
  expect([...(await t.indexed()).keys()].sort()).toEqual(ids.sort());
});

it('listings worker runs until SIGTERM, exports the indexing metrics, and exits 0 after its batch', async () => {
  const run = start(['worker', '--concurrency', '2'], { SVETULISTINGS_METRICS_PORT: '0' });
  // (A claim between the create and the publish below makes two jobs of one listing: counts are 1 or 2.)
  try {
    await eventually(() => run.output.stderr.includes('listings worker started'));
    const listing = await t.world.newListingWithStatus('active', { title: 'Kilim' });
    await eventually(async () => (await t.indexed()).has(listing.id));
    const port = /"metrics_port":(\d+)/.exec(run.output.stderr)?.[1];
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(
      /listings_indexing_jobs_processed_total\{operation="(index|update)",status="success"\} [12]/,
    );
    expect(metrics).toMatch(/listings_indexing_lag_seconds_count [12]/);
    expect(metrics).toMatch(/listings_indexing_batches_total\{outcome="ok"\} [12]/);
  } finally {
    run.child.kill('SIGTERM');
  }
  expect(await run.exited).toBe(0);
  expect(run.output.stderr).toContain('indexing worker stopped');
  // One job, or two when a claim fell between the create and the publish.
  expect(Object.keys(await t.queue())).toEqual(['completed']);
});

it('listings worker refuses a batch size outside 1..1000', async () => {
  const run = start(['worker', '--batch-size', '1001']);
  expect(await run.exited).toBe(1);
  expect(run.output.stderr).toContain('--batch-size must be a whole number from 1 to 1000');
});
