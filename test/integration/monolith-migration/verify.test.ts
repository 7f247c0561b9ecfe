import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../../src/monolith-migration/verify/verify-report.ts';
import type { MonolithDatabase } from '../../fixtures/monolith/monolith-database.ts';
import { runCli } from '../../support/cli.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { cloneDatabase, verify } from './verify-world.ts';
import { freshTarget, migrate, monolith, rows } from './world.ts';

describe('migrate-from-monolith verify after a clean run', () => {
  let source: MonolithDatabase;
  let target: TestDatabase & { url: string };
  let report: VerifyReport;

  beforeAll(async () => {
    source = await monolith();
    target = await freshTarget();
    await migrate(source.url, target.url);
    report = await verify(source.url, target.url);
  }, 240_000);
  afterAll(async () => {
    await target?.dispose();
    await source?.dispose();
  });

  it('finds no difference', () => {
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.differences_total).toBe(0);
  });

  it('ran every layer over the whole migration', async () => {
    const [owned] = await rows<{ n: number }>(
      target.knex,
      `SELECT count(*)::int AS n FROM monolith_migration.id_map
       WHERE source_table IN ('c2c_listings', 'b2c_products') AND deleted_at IS NULL`,
    );
    expect(Object.keys(report.tables)).toHaveLength(16);
    for (const [table, counts] of Object.entries(report.tables)) {
      expect({ table, total: counts.migrated + counts.rejected }).toEqual({ table, total: counts.source });
    }
    for (const table of [
      'listings',
      'listing_images',
      'storefronts',
      'c2c_categories',
      'c2c_favorites',
      'listing_attributes',
      'b2c_product_variants',
    ]) {
      expect(report.checksums[table]?.buckets, table).toBeGreaterThan(0);
      expect(report.checksums[table]?.mismatched, table).toBe(0);
    }
    // B2C images and C2C variants carry the secondary offset: their ids fall in buckets of their own.
    expect(report.id_sets.listing_images?.buckets).toBeGreaterThan(1);
    expect(report.sums.listings).toBe(owned?.n);
    expect(report.sums.source).toEqual(report.sums.target);
    expect(report.sums.target.images).toBeGreaterThan(0);
    expect(report.sums.target.favorites).toBeGreaterThan(0);
    expect(report.sample.size).toBe(owned?.n);
    expect(report.sample.compared).toBe(owned?.n);
    expect(report.status_matrix.length).toBeGreaterThan(5);
    for (const cell of report.status_matrix) expect(cell.source, JSON.stringify(cell)).toBe(cell.target);
    expect(report.status_matrix).toContainEqual(
      expect.objectContaining({ source_table: 'c2c_listings', raw: 'pending', status: 'draft' }),
    );
    expect(report.rejects_by_code).toHaveProperty('c2c_listings.PRICE_MISSING');
  });

  it('compares a seeded sample of the requested size', async () => {
    const small = await verify(source.url, target.url, { sampleSize: 5, seed: 7 });
    expect(small.ok).toBe(true);
    expect(small.sample).toMatchObject({ size: 5, seed: 7, compared: 5 });
  }, 120_000);

  it('CLI: exit 0 and the §4.8 JSON; 1 naming the difference; 4 without a completed run; 2 and 3 on bad input', async () => {
    const args = ['migrate-from-monolith', 'verify', '--source', source.url, '--sample', '20'];
    const clean = await runCli(['--json', ...args, '--target', target.url]);
    expect(clean.code, clean.stderr).toBe(0);
    const json = JSON.parse(clean.stdout) as VerifyReport;
    for (const key of [
      'run_id',
      'source_shape',
      'zones',
      'tables',
      'status_matrix',
      'rejects_by_code',
      'repairs_by_code',
      'checksums',
      'sample',
      'sequences',
      'duration_s',
      'rows_per_s',
    ]) {
      expect(json).toHaveProperty(key);
    }
    const zoned = await runCli([...args, '--target', target.url, '--source-zone', 'UTC']);
    expect(zoned.code, zoned.stderr).toBe(0);
    expect(zoned.stderr).toContain(
      `--source-zone UTC ignored: verify reads naive times as the run did (${source.manifest.zone})`,
    );
    expect(json.tables.c2c_listings).toEqual(
      expect.objectContaining({
        source: expect.any(Number),
        migrated: expect.any(Number),
        rejected: expect.any(Number),
      }),
    );

    await target.knex.destroy();
    const changed = await cloneDatabase(target.url);
    const unmigrated = await freshTarget();
    try {
      const [listing] = await rows<{ id: string }>(
        changed.knex,
        `SELECT id::text FROM listings WHERE source_type = 'c2c' ORDER BY id LIMIT 1`,
      );
      await changed.knex.raw(`UPDATE listings SET title = 'Edited by hand' WHERE id = ?`, [listing?.id ?? 0]);
      const found = await runCli([...args, '--target', changed.url]);
      expect(found.code).toBe(1);
      expect(found.stdout).toContain('DIFFERENCES FOUND');
      expect(found.stdout).toContain(`[checksums] listings ${listing?.id} title: expected`);
      expect(found.stdout).toContain('"Edited by hand"');

      const noRun = await runCli([...args, '--target', unmigrated.url]);
      expect(noRun.code).toBe(4);
      expect(noRun.stderr).toContain('no completed migrate-from-monolith run');
      expect((await runCli([...args, '--target', changed.url, '--run', 'not-a-uuid'])).code).toBe(2);
      expect((await runCli([...args, '--target', changed.url, '--sample', 'all'])).code).toBe(2);
      const unreachable = await runCli([
        'migrate-from-monolith',
        'verify',
        '--source',
        'postgres://x:y@127.0.0.1:1/none',
        '--target',
        changed.url,
      ]);
      expect(unreachable.code).toBe(3);
    } finally {
      await changed.dispose();
      await unmigrated.dispose();
    }
  }, 240_000);
});
