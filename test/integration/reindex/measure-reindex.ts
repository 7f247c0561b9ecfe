/**
 * Measures `listings reindex`, `listings validate` and `listings validate --quick` once on a fresh PostgreSQL database
 * of N listings (each with an image, two tags, two attributes and a location): wall time, documents or listings per
 * second and the CLI's peak RSS (GNU time), on the PostgreSQL search table and on OpenSearch. The image rows have no
 * stored object, and the CLI's object store is an empty temp folder. Not part of the suite:
 *
 *   scripts/run node test/integration/reindex/measure-reindex.ts [listings=50000]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { seed as seedCategories } from '../../../migrations/seeds/categories.ts';
import { CLI_ENTRY, REPO_ROOT } from '../../support/cli.ts';
import { freshPostgres } from '../../support/databases.ts';
import { opensearchUrl } from '../../support/servers.ts';

const count = Number(process.argv[2] ?? 50_000);
/** Extra node flags for the CLI runs, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (MEASURE_NODE_FLAGS). */
const nodeFlags = (process.env.MEASURE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const db = await freshPostgres('listings_measure');
const alias = `measure_${randomBytes(4).toString('hex')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'listings-measure-'));
try {
  await new KnexSchemaMigrator(db.knex).latest();
  await seedCategories(db.knex);
  const [category] = await db.knex('c2c_categories').select('id').limit(1);
  await db.knex.raw(
    `INSERT INTO listings (user_id, title, description, price, category_id, status, visibility, quantity, published_at)
     SELECT 1 + n % 500, 'Listing number ' || n, repeat('A fairly ordinary description. ', 8), 100 + n % 9000, ?,
            'active', 'public', 1, now()
     FROM generate_series(1, ?) AS n`,
    [category.id, count],
  );
  await db.knex.raw(`INSERT INTO listing_images (listing_id, url, thumbnail_url, thumbnails, is_primary)
    SELECT id, 'https://img.example/' || id || '/1.jpg', 'https://img.example/' || id || '/1-s.webp',
           jsonb_build_object('small', 'https://img.example/' || id || '/1-s.webp'), true FROM listings`);
  await db.knex.raw(
    `INSERT INTO listing_tags (listing_id, tag) SELECT id, t FROM listings, unnest(ARRAY['used', 'bike']) t`,
  );
  await db.knex.raw(`INSERT INTO listing_attributes (listing_id, attribute_key, attribute_value)
    SELECT id, k, k || '-' || (id % 7) FROM listings, unnest(ARRAY['color', 'size']) k`);
  await db.knex.raw(`INSERT INTO listing_locations (listing_id, country, city, latitude, longitude)
    SELECT id, 'RS', 'Beograd', 44.78 + (id % 100) / 1000.0, 20.44 + (id % 100) / 1000.0 FROM listings`);
  await db.knex.raw('ANALYZE');

  const base = {
    SVETULISTINGS_DB_URL: db.url as string,
    SVETULISTINGS_CACHE_DRIVER: 'none',
    SVETULISTINGS_LOG_LEVEL: 'warn',
    SVETULISTINGS_DATA_DIR: dataDir,
    SVETULISTINGS_STORAGE_DRIVER: 'fs',
    SVETULISTINGS_STORAGE_DIR: join(dataDir, 'objects'),
  };
  const engines = {
    postgres: { ...base, SVETULISTINGS_SEARCH_ENGINE: 'postgres' },
    opensearch: {
      ...base,
      SVETULISTINGS_SEARCH_ENGINE: 'opensearch',
      SVETULISTINGS_SEARCH_FALLBACK: 'none',
      SVETULISTINGS_OPENSEARCH_ADDRESSES: opensearchUrl(),
      SVETULISTINGS_OPENSEARCH_INDEX: alias,
    },
  };
  const only = process.env.MEASURE_ENGINE;
  for (const [engine, env] of Object.entries(engines)) {
    if (only !== undefined && only !== engine) continue;
    for (const args of [['reindex'], ['validate'], ['validate', '--quick']]) {
      const run = spawnSync('/usr/bin/time', ['-v', process.execPath, ...nodeFlags, CLI_ENTRY, '--json', ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      const report = JSON.parse(run.stdout);
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1];
      const wall = /Elapsed \(wall clock\) time.*: (.*)/.exec(run.stderr)?.[1];
      console.log(
        JSON.stringify({
          engine,
          command: args.join(' '),
          exit: run.status,
          listings: count,
          wall,
          durationMs: report.durationMs,
          phasesMs: report.phasesMs,
          perSecond: report.documentsPerSecond ?? report.listingsPerSecond,
          bytesPerSecond: report.bytesPerSecond,
          clean: report.clean,
          problems: report.problems,
          peakRssMiB: rss === undefined ? null : Math.round(Number(rss) / 1024),
        }),
      );
    }
  }
} finally {
  const admin = new Client({ node: opensearchUrl() });
  await admin.indices.delete({ index: `${alias}_v*`, ignore_unavailable: true });
  await admin.close();
  await db.dispose();
  rmSync(dataDir, { recursive: true, force: true });
}
