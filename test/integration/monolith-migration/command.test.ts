import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONOLITH_MIGRATION_LOCK_KEY } from '../../../adapters/postgres/monolith/pg-monolith-target.ts';
import type { MigrationReport } from '../../../src/monolith-migration/run-report.ts';
import type { MonolithDatabase } from '../../fixtures/monolith/monolith-database.ts';
import { REPO_ROOT, runCli } from '../../support/cli.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { freshTarget, migrate, monolith, rows, targetChecksums } from './world.ts';

const BIN = resolve(REPO_ROOT, 'bin/listings');

function args(source: MonolithDatabase, target: string, ...more: string[]): string[] {
  return [
    'migrate-from-monolith',
    '--source',
    source.url,
    '--target',
    target,
    '--source-zone',
    source.manifest.zone,
    ...more,
  ];
}

/** `bin/listings …` as a child process the test can signal; resolves with its exit code or signal. */
function start(argv: readonly string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
} {
  const child = spawn(BIN, argv, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolveDone) => child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/**
 * Waits until the child's run (one not yet recorded when it started) has committed a checkpoint of `table` at or
 * past `rowsRead`; false if the child ended first. (A killed run stays `running` in the table, so status alone
 * cannot tell the runs apart.)
 */
async function untilCheckpoint(
  target: TestDatabase,
  table: string,
  rowsRead: number,
  child: ChildProcess,
): Promise<boolean> {
  const earlier = (await rows<{ run_id: string }>(target.knex, 'SELECT run_id FROM monolith_migration.runs')).map(
    (row) => row.run_id,
  );
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    const found = await rows<{ n: number }>(
      target.knex,
      `SELECT count(*)::int AS n FROM monolith_migration.checkpoints c
       JOIN monolith_migration.runs r USING (run_id)
       WHERE r.status = 'running' AND c.source_table = ? AND c.rows_read >= ?
         AND NOT (r.run_id = ANY(?::uuid[]))`,
      [table, rowsRead, earlier],
    ).catch(() => [{ n: 0 }]);
    if ((found[0]?.n ?? 0) > 0) return true;
    await new Promise((wake) => setTimeout(wake, 20));
  }
}

describe('listings migrate-from-monolith (the command)', () => {
  let source: MonolithDatabase;
  let reference: Record<string, string>;
  const targets: TestDatabase[] = [];
  const target = async (options?: { migrate?: boolean }) => {
    const database = await freshTarget(options);
    targets.push(database);
    return database;
  };

  beforeAll(async () => {
    source = await monolith({ rows: 400, seed: 15 });
    const uninterrupted = await target();
    await migrate(source.url, uninterrupted.url, { sourceZone: source.manifest.zone });
    reference = await targetChecksums(uninterrupted.knex);
  }, 240_000);
  afterAll(async () => {
    for (const database of targets) await database.dispose();
    await source?.dispose();
  });

  it('prints one JSON report on stdout and JSON progress lines on stderr, and exits 0', async () => {
    const database = await target();
    const result = await runCli(['--json', ...args(source, database.url)]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as MigrationReport;
    expect(report.reconciled).toBe(true);
    expect(report.tables.c2c_listings?.read).toBe(400);
    const progress = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.find((line) => line.table === 'c2c_listings' && line.done === 400)).toMatchObject({
      event: 'progress',
      total: 400,
    });
    expect(Object.keys(progress[0] ?? {})).toEqual(['event', 'table', 'done', 'total', 'rate', 'eta_s']);
    const [run] = await rows<{ counts: MigrationReport }>(database.knex, 'SELECT counts FROM monolith_migration.runs');
    expect(run?.counts.run_id).toBe(report.run_id);
    expect(await targetChecksums(database.knex)).toEqual(reference);
  }, 120_000);

  it('prints the plan of a dry run for humans', async () => {
    const database = await target();
    const result = await runCli([...args(source, database.url), '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('DRY RUN (nothing written)');
    expect(result.stdout).toMatch(/^c2c_listings\s+400\s+400\s+\d+/m);
    expect(result.stdout).toContain('would reject by code:');
    expect(result.stdout).toContain('status matrix');
    const [count] = await rows<{ n: number }>(database.knex, 'SELECT count(*)::int AS n FROM listings');
    expect(count?.n).toBe(0);
  }, 120_000);

  it('exits 4 while another run holds the lock, and 4 on a target without the bookkeeping schema', async () => {
    const database = await target();
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [MONOLITH_MIGRATION_LOCK_KEY.toString()]);
      const locked = await runCli(args(source, database.url));
      expect(locked.code).toBe(4);
      expect(locked.stderr).toContain('holds the lock');
    } finally {
      await holder.end();
    }
    const bare = await target({ migrate: false });
    const unmigrated = await runCli(args(source, bare.url));
    expect(unmigrated.code).toBe(4);
    expect(unmigrated.stderr).toContain('listings migrate latest');
    // An empty database is no monolith this command knows (source shape unknown).
    const unknown = await runCli(['migrate-from-monolith', '--source', bare.url, '--target', database.url]);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('source shape unknown');
  }, 120_000);

  it('exits 4 when a secondary id plus the offset would not fit a target integer', async () => {
    const small = await monolith({ rows: 20, seed: 17 });
    try {
      const [product] = await rows<{ id: number }>(small.knex, 'SELECT min(id) AS id FROM b2c_products');
      await small.knex.raw(
        `INSERT INTO b2c_product_images (id, storefront_product_id, image_url, thumbnail_url)
         VALUES (1147483648, ?, 'https://cdn.example/x.jpg', 'https://cdn.example/x_t.jpg')`,
        [Number(product?.id)],
      );
      const database = await target();
      const result = await runCli(args(small, database.url));
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('does not fit a target integer');
      const [runs] = await rows<{ n: number }>(database.knex, 'SELECT count(*)::int AS n FROM monolith_migration.runs');
      expect(runs?.n).toBe(0);
    } finally {
      await small.dispose();
    }
  }, 120_000);

  it('exits 2 on a bad flag or zone, 3 when the source is unreachable, 5 under --strict with rejects', async () => {
    const database = await target();
    expect((await runCli([...args(source, database.url), '--source-zone', 'Mars/Olympus_Mons'])).code).toBe(2);
    expect((await runCli([...args(source, database.url), '--batch-size', '0'])).code).toBe(2);
    expect((await runCli(['migrate-from-monolith', '--source', 'not a url', '--target', database.url])).code).toBe(2);
    const unreachable = await runCli([
      'migrate-from-monolith',
      '--source',
      'postgres://x:y@127.0.0.1:1/none',
      '--target',
      database.url,
    ]);
    expect(unreachable.code).toBe(3);
    const strict = await runCli(['--json', ...args(source, database.url), '--strict']);
    expect(strict.code).toBe(5);
    expect((JSON.parse(strict.stdout) as MigrationReport).rejected_total).toBeGreaterThan(0);
  }, 180_000);

  it('resumes after kill -9 at random batches: the final target equals an uninterrupted run', async () => {
    const database = await target();
    const tables = ['c2c_listings', 'c2c_images', 'unified_attribute_values', 'c2c_favorites', 'translations'];
    const kills: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const table = tables[Math.floor(Math.random() * tables.length)] as string;
      const batches = 1 + Math.floor(Math.random() * 4);
      const run = start(args(source, database.url, '--batch-size', '25'));
      const reached = await untilCheckpoint(database, table, batches * 25, run.child);
      expect({ attempt, table, batches, reached }).toEqual({ attempt, table, batches, reached: true });
      run.child.kill('SIGKILL');
      expect((await run.done).signal).toBe('SIGKILL');
      kills.push(`${table}@${batches * 25}`);
    }
    const final = await runCli(['--json', ...args(source, database.url, '--batch-size', '25')]);
    expect({ kills, code: final.code }).toEqual({ kills, code: 0 });
    const report = JSON.parse(final.stdout) as MigrationReport;
    expect(report.resumed_from).not.toBeNull();
    expect(report.reconciled).toBe(true);
    expect({ kills, sums: await targetChecksums(database.knex) }).toEqual({ kills, sums: reference });
    const runs = await rows<{ status: string }>(
      database.knex,
      'SELECT status FROM monolith_migration.runs ORDER BY started_at',
    );
    expect(runs.map((run) => run.status)).toEqual(['interrupted', 'interrupted', 'completed']);
  }, 300_000);

  it('stops at a batch boundary on SIGINT: run marked interrupted, exit 130, and a rerun completes it', async () => {
    const database = await target();
    const run = start(args(source, database.url, '--batch-size', '25'));
    expect(await untilCheckpoint(database, 'c2c_listings', 50, run.child)).toBe(true);
    run.child.kill('SIGINT');
    const ended = await run.done;
    expect(ended.code).toBe(130);
    expect(ended.stderr).toContain('stopping at the next batch boundary');
    const [interrupted] = await rows<{ status: string; finished: boolean }>(
      database.knex,
      'SELECT status, finished_at IS NOT NULL AS finished FROM monolith_migration.runs',
    );
    expect(interrupted).toEqual({ status: 'interrupted', finished: true });
    const rerun = await runCli(args(source, database.url));
    expect(rerun.code).toBe(0);
    expect(await targetChecksums(database.knex)).toEqual(reference);
  }, 300_000);
});
