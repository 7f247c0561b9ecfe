// migrate-from-monolith (issue 11): 1,000,000 generated C2C listings (+ images, and every other monolith table the
// fixture scales with them) from a fresh fixture database into a fresh target, against a raw `COPY FROM STDIN` of
// the listings and listing_images rows the migration wrote, into an empty copy of the schema on the same server.
// Target: >= 50 % of the baseline's rows/s; peak RSS of the migration process under 300 MiB.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPostgresKnex } from '../adapters/postgres/postgres-knex.ts';
import { KnexSchemaMigrator } from '../adapters/sql/knex-schema-migrator.ts';
import { copyBaseline } from './support/copy-baseline.ts';
import type { BenchDatabase } from './support/database.ts';
import type { LoadResult } from './support/load.ts';
import { cachedMonolith } from './support/monolith-fixture-cache.ts';
import { runMigrationChild } from './support/monolith-migrate-child.ts';
import type { BenchReport } from './support/report.ts';
import type { BenchSettings } from './support/settings.ts';

const FULL_ROWS = 1_000_000;
const QUICK_ROWS = 100_000;
const SEED = 1;
const ZONE = 'Europe/Belgrade';
const RSS_TARGET_MIB = 300;
/** The source tables whose scans write the listings and listing_images rows. */
const LISTING_AND_IMAGE_SCANS = ['c2c_listings', 'b2c_products', 'c2c_images', 'b2c_product_images'];
const COPIED = ['listings', 'listing_images'];

/** `--quick`: 100,000 rows; `BENCH_MONOLITH_ROWS=N` any other size; `BENCH_MONOLITH_KEEP=1` keeps the databases. */
function rowsToMigrate(): number {
  const override = process.env.BENCH_MONOLITH_ROWS;
  if (override !== undefined) return Number(override);
  return process.argv.includes('--quick') ? QUICK_ROWS : FULL_ROWS;
}

/** A fresh database next to the bench database (same server, same credentials); `drop` removes it. */
interface ScratchDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
  /** Replaces it with a copy of `template`. */
  recreate(template: string): Promise<void>;
}

async function scratchDatabase(benchUrl: string, role: string): Promise<ScratchDatabase> {
  const name = `listings_bench_${role}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: benchUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(benchUrl);
  url.pathname = `/${name}`;
  const drop = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  return {
    url: url.toString(),
    name,
    drop,
    recreate: async (template) => {
      await drop();
      await admin(`CREATE DATABASE ${name} TEMPLATE "${template}"`);
    },
  };
}

async function migratedSchema(url: string): Promise<void> {
  const knex = createPostgresKnex({ url, poolMax: 1 });
  try {
    await new KnexSchemaMigrator(knex).latest();
  } finally {
    await knex.destroy();
  }
}

async function count(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

const noLatency = (label: string, opsPerSec: number): LoadResult => ({
  label,
  opsPerSec,
  p50Ms: Number.NaN,
  p99Ms: Number.NaN,
  errors: 0,
});

export async function run(db: BenchDatabase, _settings: BenchSettings): Promise<BenchReport> {
  const rows = rowsToMigrate();
  const source = await scratchDatabase(db.url, 'mono_src');
  const target = await scratchDatabase(db.url, 'mono_tgt');
  const copy = await scratchDatabase(db.url, 'mono_copy');
  try {
    const generated = performance.now();
    const { manifest, cached } = await cachedMonolith(db.url, source, { rows, seed: SEED, zone: ZONE });
    const generateS = (performance.now() - generated) / 1000;
    const sourceRows = Object.values(manifest.counts).reduce((a, b) => a + b, 0);
    await migratedSchema(target.url);
    await migratedSchema(copy.url);

    const migration = await runMigrationChild(source.url, target.url, ZONE);
    if (!migration.report.reconciled) throw new Error('the migration did not reconcile');
    const listings = await count(target.url, 'listings');
    const images = await count(target.url, 'listing_images');
    let phaseMs = 0;
    for (const table of LISTING_AND_IMAGE_SCANS) {
      const phase = migration.phases.get(table);
      if (phase) phaseMs += phase.lastMs - phase.firstMs;
    }
    const read = Object.values(migration.report.tables).reduce((sum, t) => sum + t.read, 0);
    const written = Object.values(migration.report.target_tables).reduce((sum, t) => sum + t.inserted + t.updated, 0);

    const timings = await copyBaseline(target.url, copy.url, COPIED);
    const copyMs = timings.reduce((sum, t) => sum + t.ms, 0);
    const copyRows = timings.reduce((sum, t) => sum + t.rows, 0);

    const ours = noLatency('migration: listings + images scans', ((listings + images) / phaseMs) * 1000);
    const whole = noLatency('migration: whole run, target rows', (written / migration.wallMs) * 1000);
    const baseline = noLatency('raw COPY FROM STDIN (baseline)', (copyRows / copyMs) * 1000);
    const rss = migration.peakRssMiB;
    const phaseLines = [...migration.phases].map(
      ([table, phase]) => `${table} ${phase.done} rows in ${((phase.lastMs - phase.firstMs) / 1000).toFixed(1)} s`,
    );
    return {
      title: `monolith-migrate: migrate-from-monolith of ${rows.toLocaleString('en')} C2C listings vs raw COPY FROM STDIN (PostgreSQL 15)`,
      setup:
        `fixture seed ${SEED}, zone ${ZONE}, ${sourceRows.toLocaleString('en')} source rows in ${manifest.counts.c2c_listings} listings, ` +
        `${cached ? 'copied from the cached fixture' : 'generated'} in ${generateS.toFixed(0)} s; the CLI in a child process, --no-enqueue, default batch (2000)`,
      rows: [baseline, ours, whole],
      comparisons: [
        {
          what: 'listings + images rows/s',
          check: { kind: 'ratio', ours: ours.label, baseline: baseline.label, min: 0.5 },
        },
        { what: 'whole run target rows/s', check: { kind: 'none', ours: whole.label, baseline: baseline.label } },
      ],
      notes: [
        `peak RSS of the migration process (VmHWM): ${rss.toFixed(0)} MiB, target < ${RSS_TARGET_MIB} MiB  ${rss < RSS_TARGET_MIB ? 'PASS' : 'BELOW'}`,
        `migration: ${(migration.wallMs / 1000).toFixed(1)} s wall for ${read.toLocaleString('en')} source rows read, ` +
          `${written.toLocaleString('en')} target rows written (report: ${migration.report.duration_s} s)`,
        `listings + images: ${listings.toLocaleString('en')} + ${images.toLocaleString('en')} rows, written by scans taking ${(phaseMs / 1000).toFixed(1)} s ` +
          '(those scans also write listing_locations, condition attributes, id_map and rejects)',
        ...timings.map(
          (t) =>
            `baseline COPY ${t.table}: ${t.rows.toLocaleString('en')} rows, ${(t.bytes / 2 ** 20).toFixed(0)} MiB in ${(t.ms / 1000).toFixed(1)} s`,
        ),
        `per table: ${phaseLines.join('; ')}`,
      ],
    };
  } finally {
    if (process.env.BENCH_MONOLITH_KEEP === '1') {
      console.error(`monolith-migrate: kept ${source.url}, ${target.url}, ${copy.url} (BENCH_MONOLITH_KEEP=1)`);
    } else {
      await copy.drop();
      await target.drop();
      await source.drop();
    }
  }
}
