import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { cliEnv, runListings, startCli } from './cli-env.ts';
import { type AdminWorld, adminEngines, openAdminWorld } from './search-admin-fixture.ts';

/** The reindex locks of adapters/composition/admin-search.ts. */
const LOCK_KEYS = { opensearch: 0x6c69_7374_0021n, pgsearch: 0x6c69_7374_0022n } as const;

// `listings reindex` as operators and scripts run it: a child process on PostgreSQL 15 and OpenSearch 2.19.
describe.each(adminEngines())('listings reindex on $name', (engine) => {
  let world: AdminWorld | undefined;
  afterEach(async () => {
    await world?.dispose();
    world = undefined;
  }, 120_000);

  it('rebuilds and swaps: one JSON report on stdout, JSON progress lines on stderr; --rollback swaps back', async () => {
    world = await openAdminWorld(engine);
    await world.seed(150);
    const before = await world.maintenance.indices();
    const result = await runListings(['--json', 'reindex', '--batch-size', '50'], cliEnv(world));
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ swapped: true, total: 150, documents: 150, problems: [] });
    expect(report.verification).toMatchObject({ countsMatch: true, indexed: 150, expected: 150 });
    const progress = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    expect(progress.map((line) => line.phase)).toEqual(
      expect.arrayContaining(['copy', 'replay', 'verify', 'swap', 'catch-up']),
    );
    expect(progress[0]).toMatchObject({ event: 'progress', phase: 'copy', total: 150 });
    expect(await world.index.count()).toBe(150);

    const rollback = await runListings(['--json', '--yes', 'reindex', '--rollback'], cliEnv(world));
    expect(rollback.code, rollback.stderr).toBe(0);
    const rolled = JSON.parse(rollback.stdout);
    expect(rolled).toMatchObject({ dryRun: false, to: report.previous ?? before.serving, failures: [] });
    expect(await world.index.count()).toBe(150);
  });

  it('a dry run reports the plan and creates nothing', async () => {
    world = await openAdminWorld(engine);
    await world.seed(20);
    const before = await world.maintenance.indices();
    const result = await runListings(['reindex', '--dry-run'], cliEnv(world));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('dry run: would build a new');
    expect(result.stdout).toContain('20 searchable listing(s)');
    expect(await world.maintenance.indices()).toEqual(before);
  });

  it('exits 4 while another reindex of the engine holds the lock', async () => {
    world = await openAdminWorld(engine);
    const holder = new pg.Client({ connectionString: world.world.db.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [LOCK_KEYS[engine.name].toString()]);
      const result = await runListings(['reindex'], cliEnv(world));
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/another .*reindex run holds the lock/);
      expect((await world.maintenance.indices()).other).toEqual([]);
    } finally {
      await holder.end();
    }
  });

  it('SIGINT during the copy exits 130, drops the new index and leaves the serving one alone', async () => {
    world = await openAdminWorld(engine);
    await world.seed(4000);
    const before = await world.maintenance.indices();
    const run = startCli(['reindex', '--batch-size', '10', '--concurrency', '1'], cliEnv(world));
    await run.stderrMatches(/"phase":"copy"/);
    run.child.kill('SIGINT');
    const result = await run.exited;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('the new index was dropped, the serving index is unchanged');
    expect(await world.maintenance.indices()).toEqual(before);
  });
});

describe.each(adminEngines())('listings reindex --resume on $name', (engine) => {
  it('after kill -9 mid-copy, goes on from the checkpoint and swaps a complete index', async () => {
    const world = await openAdminWorld(engine);
    try {
      await world.seed(10_000);
      const before = await world.maintenance.indices();
      const run = startCli(['reindex', '--batch-size', '20', '--concurrency', '1'], cliEnv(world));
      await run.stderrMatches(/"phase":"copy"/);
      // Wait for a checkpoint past the start (saved every 2 s), then kill without a chance to clean up.
      let saved: { index: string; afterId: number } | null = null;
      for (let tries = 0; tries < 600 && saved === null; tries++) {
        const [index] = (await world.maintenance.indices()).other;
        const text = index === undefined ? null : await world.maintenance.checkpoint(index);
        const afterId = text === null ? 0 : (JSON.parse(text) as { afterId: number }).afterId;
        if (index !== undefined && afterId > 0) saved = { index, afterId };
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(saved).not.toBeNull();
      run.child.kill('SIGKILL');
      expect((await run.exited).code).toBeNull();
      expect((await world.maintenance.indices()).serving).toBe(before.serving);

      const resumed = await runListings(['--json', 'reindex', '--resume'], cliEnv(world));
      expect(resumed.code, resumed.stderr).toBe(0);
      const report = JSON.parse(resumed.stdout);
      expect(report).toMatchObject({ index: saved?.index, swapped: true, problems: [], total: 10_000 });
      expect(report.resumedFrom).toBeGreaterThanOrEqual(saved?.afterId as number);
      expect(report.verification).toMatchObject({ countsMatch: true, indexed: 10_000 });
      expect(await world.index.count()).toBe(10_000);
    } finally {
      await world.dispose();
    }
  }, 180_000);
});
