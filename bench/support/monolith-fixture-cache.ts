import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { generateMonolith, type MonolithManifest } from '../../test/fixtures/monolith/generate.ts';

const FIXTURE_DIR = resolve(import.meta.dirname, '../../test/fixtures/monolith');
const RECORD_DIR = resolve(import.meta.dirname, '../../.cache/monolith-fixture');
const PREFIX = 'listings_bench_monofix_';

/** Every file the generator is built from: a change to any of them is a different fixture. */
async function fixtureSources(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await fixtureSources(path)));
    else if (/\.(ts|sql)$/.test(entry.name)) files.push(path);
  }
  return files.sort();
}

async function fixtureKey(rows: number, seed: number, zone: string): Promise<string> {
  const digest = createHash('sha256').update(`${rows}\n${seed}\n${zone}\n`);
  for (const file of await fixtureSources(FIXTURE_DIR)) digest.update(file).update(await readFile(file));
  return `${PREFIX}r${rows}_s${seed}_${digest.digest('hex').slice(0, 12)}`;
}

async function withAdmin<T>(benchUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: benchUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Fills the empty database `sourceUrl` (named `sourceName`) with the generated monolith of `rows` listings. The
 * first generation of a (rows, seed, zone, generator source) is kept as a template database on the same server
 * (recorded under .cache/monolith-fixture/), and later runs copy it (`CREATE DATABASE … TEMPLATE`, a file copy)
 * instead of generating again: 100,000 listings take about 40 s to generate, 1,000,000 about 400 s. A template of
 * the same rows and seed built from other generator sources is dropped. `BENCH_MONOLITH_FIXTURE_CACHE=0` always
 * generates and keeps nothing.
 */
export async function cachedMonolith(
  benchUrl: string,
  source: { url: string; name: string; recreate(template: string): Promise<void> },
  options: { rows: number; seed: number; zone: string },
): Promise<{ manifest: MonolithManifest; cached: boolean }> {
  if (process.env.BENCH_MONOLITH_FIXTURE_CACHE === '0') {
    return { manifest: await generateMonolith({ url: source.url, ...options }), cached: false };
  }
  const template = await fixtureKey(options.rows, options.seed, options.zone);
  const existing = await withAdmin(benchUrl, async (client) => {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${PREFIX}r${options.rows}\\_s${options.seed}\\_%`,
    ]);
    return result.rows.map((row) => row.datname);
  });
  if (existing.includes(template)) {
    await source.recreate(template);
    const client = new pg.Client({ connectionString: source.url });
    await client.connect();
    try {
      const manifest = (
        await client.query<{ document: MonolithManifest }>('SELECT document FROM fixture_meta.manifest')
      ).rows[0]?.document as MonolithManifest;
      // Per-database settings are not part of a template copy.
      await client.query(`ALTER DATABASE "${source.name}" SET TimeZone = '${manifest.zone.replaceAll("'", "''")}'`);
      return { manifest, cached: true };
    } finally {
      await client.end();
    }
  }
  const manifest = await generateMonolith({ url: source.url, ...options });
  await withAdmin(benchUrl, async (client) => {
    for (const stale of existing) await client.query(`DROP DATABASE IF EXISTS "${stale}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${template}" TEMPLATE "${source.name}"`);
  });
  await mkdir(RECORD_DIR, { recursive: true });
  await writeFile(
    join(RECORD_DIR, `${template}.json`),
    `${JSON.stringify({ template, ...options, created: new Date().toISOString() })}\n`,
  );
  return { manifest, cached: false };
}
