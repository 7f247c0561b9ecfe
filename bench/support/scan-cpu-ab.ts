// Alternating A/B runs of migrate-from-monolith on a shared machine, where wall times mislead: for each run, the
// CPU time of the CLI process and of its target and source backends per scan (read from /proc at the scan's first
// and last JSON progress line), the scan's wall time, peak RSS, the raw COPY baseline of the same rows (for the
// benchmark's ratio) and checksums of what was written (so both trees are seen to write the same rows).
//
//   scripts/run node bench/support/scan-cpu-ab.ts <template db> <pairs> <label>=<tree> <label>=<tree>
//
// <template db>: a cached fixture (`.cache/monolith-fixture/*.json` names them); each tree is a checkout with
// node_modules (a symlink will do). Needs LISTINGS_TEST_POSTGRES_URL (`source .cache/services/env`), Linux, and
// PostgreSQL on this machine (its backends' /proc entries are read).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { createPostgresKnex } from '../../adapters/postgres/postgres-knex.ts';
import { KnexSchemaMigrator } from '../../adapters/sql/knex-schema-migrator.ts';
import { copyBaseline } from './copy-baseline.ts';
import { PeakRssProbe } from './peak-rss.ts';

const ZONE = 'Europe/Belgrade';
const SCANS = ['c2c_listings', 'c2c_images'];
const LISTING_AND_IMAGE_SCANS = ['c2c_listings', 'b2c_products', 'c2c_images', 'b2c_product_images'];
const TICKS = 100; // USER_HZ

const [template, pairsArg, ...treeArgs] = process.argv.slice(2);
const server = process.env.LISTINGS_TEST_POSTGRES_URL ?? '';
if (!template || !pairsArg || treeArgs.length === 0 || server === '') {
  process.stderr.write('usage: node bench/support/scan-cpu-ab.ts <template db> <pairs> <label>=<tree> ...\n');
  process.exit(2);
}
const trees = treeArgs.map((arg) => {
  const [label, tree] = arg.split('=') as [string, string];
  return { label, tree };
});

const urlOf = (name: string) => {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
};

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const admin = (sql: string) => withClient(server, (client) => client.query(sql));

async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * Seconds a thread neither ran nor waited for a CPU (`/proc/<pid>/schedstat`: ns on a CPU, ns runnable in the run
 * queue) up to now, on this process's monotonic clock (only differences mean anything): time it slept, i.e. waited for its peer. For the CLI this is its main (JavaScript) thread.
 */
async function sleptSeconds(pid: number): Promise<number> {
  const atMs = performance.now();
  try {
    const [run, queued] = (await readFile(`/proc/${pid}/schedstat`, 'utf8')).split(' ').map(Number) as [number, number];
    return atMs / 1000 - (run + queued) / 1e9;
  } catch {
    return Number.NaN;
  }
}

async function loadAverage(): Promise<string> {
  return (await readFile('/proc/loadavg', 'utf8')).split(' ')[0] as string;
}

interface Snapshot {
  readonly ms: number;
  readonly cli: number;
  readonly target: number;
  readonly source: number;
  readonly cliSlept: number;
  readonly targetSlept: number;
}

async function backends(targetDb: string, sourceDb: string): Promise<{ target: number; source: number }> {
  return withClient(server, async (client) => {
    const result = await client.query<{ pid: number; datname: string }>(
      `SELECT pid, datname FROM pg_stat_activity WHERE application_name LIKE 'listings migrate-from-monolith%'
         AND datname = ANY($1::text[])`,
      [[targetDb, sourceDb]],
    );
    const pid = (db: string) => result.rows.find((row) => row.datname === db)?.pid ?? 0;
    return { target: pid(targetDb), source: pid(sourceDb) };
  });
}

const CHECKSUMS: Record<string, string> = {
  listings: "SELECT md5(string_agg(t::text, '\n' ORDER BY id)) FROM listings t",
  listing_images: "SELECT md5(string_agg(t::text, '\n' ORDER BY id)) FROM listing_images t",
  id_map: `SELECT md5(string_agg((source_table, source_key, target_table, target_id, source_hash, extras)::text, '\n'
             ORDER BY source_table, source_key)) FROM monolith_migration.id_map`,
  side_rows: "SELECT md5(string_agg(t::text, '\n' ORDER BY listing_id)) FROM listing_side_rows t",
};

async function migrate(tree: string, sourceDb: string, targetDb: string) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      join(tree, 'adapters/cli/main.ts'),
      'migrate-from-monolith',
      '--source',
      urlOf(sourceDb),
      '--target',
      urlOf(targetDb),
      '--source-zone',
      ZONE,
      '--no-enqueue',
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: tree },
  );
  const pid = child.pid as number;
  const probe = new PeakRssProbe(pid);
  let pids: { target: number; source: number } | null = null;
  const phases = new Map<string, { first: Promise<Snapshot>; last: Promise<Snapshot> }>();
  const loads: string[] = [];
  const snapshot = async (): Promise<Snapshot> => {
    const ms = performance.now();
    pids ??= await backends(targetDb, sourceDb);
    const [cli, target, source, cliSlept, targetSlept] = await Promise.all([
      cpuSeconds(pid),
      cpuSeconds(pids.target),
      cpuSeconds(pids.source),
      sleptSeconds(pid),
      sleptSeconds(pids.target),
    ]);
    return { ms, cli, target, source, cliSlept, targetSlept };
  };
  const errors: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    let event: { event?: string; table?: string };
    try {
      event = JSON.parse(line);
    } catch {
      errors.push(line);
      return;
    }
    if (event.event !== 'progress' || event.table === undefined) return;
    const taken = snapshot();
    const phase = phases.get(event.table);
    if (phase === undefined) {
      phases.set(event.table, { first: taken, last: taken });
      if (SCANS.includes(event.table)) void loadAverage().then((load) => loads.push(load));
    } else phase.last = taken;
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const code = await new Promise<number>((done) => child.on('close', (exit) => done(exit ?? 1)));
  const wallMs = performance.now() - started;
  const peak = probe.stop();
  if (code !== 0) throw new Error(`exit ${code}: ${errors.slice(-3).join(' | ')} ${stdout.slice(0, 500)}`);
  const scans: Record<
    string,
    { wall: number; cli: number; target: number; source: number; cliSlept: number; targetSlept: number }
  > = {};
  let phaseMs = 0;
  for (const [table, phase] of phases) {
    const [first, last] = await Promise.all([phase.first, phase.last]);
    const span = {
      wall: (last.ms - first.ms) / 1000,
      cli: last.cli - first.cli,
      target: last.target - first.target,
      source: last.source - first.source,
      cliSlept: last.cliSlept - first.cliSlept,
      targetSlept: last.targetSlept - first.targetSlept,
    };
    if (LISTING_AND_IMAGE_SCANS.includes(table)) phaseMs += last.ms - first.ms;
    if (SCANS.includes(table)) scans[table] = span;
  }
  return { wallMs, peak, scans, phaseMs, loads };
}

async function migratedTemplate(): Promise<string> {
  const name = `listings_ab_tgt_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const knex = createPostgresKnex({ url: urlOf(name), poolMax: 1 });
  try {
    await new KnexSchemaMigrator(knex).latest();
  } finally {
    await knex.destroy();
  }
  return name;
}

const sourceDb = `listings_ab_src_${randomBytes(4).toString('hex')}`;
await admin(`CREATE DATABASE ${sourceDb} TEMPLATE ${template}`);
const emptyTemplate = await migratedTemplate();
const fmt = (n: number) => n.toFixed(1);
try {
  const pairs = Number(pairsArg);
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? trees : [...trees].reverse();
    for (const { label, tree } of order) {
      const targetDb = `listings_ab_t_${randomBytes(4).toString('hex')}`;
      const copyDb = `listings_ab_c_${randomBytes(4).toString('hex')}`;
      await admin(`CREATE DATABASE ${targetDb} TEMPLATE ${emptyTemplate}`);
      await admin(`CREATE DATABASE ${copyDb} TEMPLATE ${emptyTemplate}`);
      try {
        const run = await migrate(tree, sourceDb, targetDb);
        const sums: Record<string, string> = {};
        const counts = await withClient(urlOf(targetDb), async (client) => {
          for (const [what, sql] of Object.entries(CHECKSUMS)) {
            sums[what] = String((await client.query(sql)).rows[0]?.md5).slice(0, 8);
          }
          const row = (
            await client.query('SELECT (SELECT count(*) FROM listings) + (SELECT count(*) FROM listing_images) AS n')
          ).rows[0] as { n: string };
          return Number(row.n);
        });
        const timings = await copyBaseline(urlOf(targetDb), urlOf(copyDb), ['listings', 'listing_images']);
        const copyMs = timings.reduce((sum, t) => sum + t.ms, 0);
        const ratio = (counts / run.phaseMs / (counts / copyMs)) * 100;
        const scans = Object.entries(run.scans)
          .map(
            ([table, s]) =>
              `${table} wall ${fmt(s.wall)} cli ${fmt(s.cli)} tgt ${fmt(s.target)} src ${fmt(s.source)} ` +
              `slept: cli ${fmt(s.cliSlept)} tgt ${fmt(s.targetSlept)}`,
          )
          .join(' | ');
        console.log(
          `${label} pair ${pair + 1}: ratio ${fmt(ratio)} % (scans ${fmt(run.phaseMs / 1000)} s, COPY ${timings
            .map((t) => `${t.table} ${fmt(t.ms / 1000)}`)
            .join(
              ' + ',
            )} s) | ${scans} | rss ${run.peak.toFixed(0)} MiB | load ${run.loads.join('/')} | ${JSON.stringify(sums)}`,
        );
      } finally {
        await admin(`DROP DATABASE IF EXISTS ${targetDb} WITH (FORCE)`);
        await admin(`DROP DATABASE IF EXISTS ${copyDb} WITH (FORCE)`);
      }
    }
  }
} finally {
  await admin(`DROP DATABASE IF EXISTS ${sourceDb} WITH (FORCE)`);
  await admin(`DROP DATABASE IF EXISTS ${emptyTemplate} WITH (FORCE)`);
}
