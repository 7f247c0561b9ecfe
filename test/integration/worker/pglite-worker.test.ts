import { afterAll, beforeAll, expect, it } from 'vitest';
import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { createPlainRepositories } from '../../../adapters/sql/sql-repositories.ts';
import { startIndexWorker } from '../../../adapters/worker/start-index-worker.ts';
import { openWorld, type World } from '../use-cases/listings/fixture.ts';
import { OWNER } from '../use-cases/listings/principals.ts';
import { eventually, RecordingObserver, recordingLogger } from './worker-fixture.ts';

let world: World;

beforeAll(async () => {
  world = await openWorld({ kind: 'pglite' });
});
afterAll(async () => {
  await world?.dispose();
});

// The embedded set-up of `listings serve` with no configuration: PGlite (one connection) and pgsearch, the worker's
// five loops in the same process as the writes.
it('keeps pgsearch in step on the embedded PGlite with five loops sharing its one connection', async () => {
  const repos = createPlainRepositories(world.knex);
  const searchIndex = new PgSearchIndex({ knex: world.knex });
  await searchIndex.ensureIndex();
  const observer = new RecordingObserver();
  const running = startIndexWorker({
    outbox: repos.outbox,
    listings: repos.listings,
    searchIndex,
    logger: recordingLogger(),
    observer,
    options: { pollIntervalMs: 20 },
  });
  try {
    const ids: number[] = [];
    for (let i = 0; i < 15; i++) ids.push((await world.newListingWithStatus('active', { title: `Shelf ${i}` })).id);
    await world.remove.execute(OWNER, { id: ids[0] as number });
    const searchable = async () => {
      const page = await searchIndex.search({ text: '', filters: {}, sort: 'created_at_desc', limit: 100 });
      return page.hits.map((hit) => hit.id).sort((a, b) => a - b);
    };
    await eventually(async () => JSON.stringify(await searchable()) === JSON.stringify(ids.slice(1)));
    await eventually(async () => (await repos.outbox.stats()).pending === 0);
  } finally {
    await running.stop();
  }
  expect(observer.errors).toEqual([]);
  expect(observer.jobs.every((job) => job.outcome === 'completed')).toBe(true);
});
