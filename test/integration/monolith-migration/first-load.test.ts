import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE } from '../../../src/monolith-migration/pipeline-steps.ts';
import type { MigrationReport } from '../../../src/monolith-migration/run-report.ts';
import type { MonolithDatabase } from '../../fixtures/monolith/monolith-database.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { freshTarget, migrate, monolith, rows, targetChecksums } from './world.ts';

const SEEDED_KEY = 'seeded-deleted-entry';

/** id_map and rejects without run ids (they differ between runs by construction) and without the seeded rows. */
async function bookkeeping(target: TestDatabase): Promise<{ idMap: unknown[]; rejects: unknown[] }> {
  return {
    idMap: await rows(
      target.knex,
      `SELECT source_table, source_key, target_table, target_id, source_hash, extras, deleted_at IS NULL AS live
       FROM monolith_migration.id_map WHERE source_key <> ? ORDER BY source_table, source_key`,
      [SEEDED_KEY],
    ),
    rejects: await rows(
      target.knex,
      `SELECT source_table, source_key, code, detail, source_row FROM monolith_migration.rejects
       ORDER BY source_table, source_key`,
    ),
  };
}

// A table whose bookkeeping is empty when its scan starts is appended to (no id_map lookup, id_map copied in
// directly); any entry of the table, even a deleted one, keeps the lookup-and-upsert path. Both must write the same.
describe('migrate-from-monolith: a first load of each table writes what the upsert path writes', () => {
  let source: MonolithDatabase;
  let fresh: TestDatabase & { url: string };
  let seeded: TestDatabase & { url: string };
  let freshReport: MigrationReport;
  let seededReport: MigrationReport;

  beforeAll(async () => {
    source = await monolith();
    fresh = await freshTarget();
    seeded = await freshTarget();
    for (const step of PIPELINE) {
      // A deleted entry of a key the source never had: detect-deletes and reconciliation ignore it.
      await seeded.knex.raw(
        `INSERT INTO monolith_migration.id_map
           (source_table, source_key, target_table, target_id, source_hash, first_run_id, last_run_id, deleted_at)
         VALUES (?, ?, 'listings', '0', '-', gen_random_uuid(), gen_random_uuid(), now())`,
        [step.table, SEEDED_KEY],
      );
    }
    freshReport = await migrate(source.url, fresh.url);
    seededReport = await migrate(source.url, seeded.url);
  }, 240_000);
  afterAll(async () => {
    await seeded?.dispose();
    await fresh?.dispose();
    await source?.dispose();
  });

  it('reconciles every table both ways, with the same counts', () => {
    expect(freshReport.reconciled).toBe(true);
    expect(freshReport.tables).toEqual(seededReport.tables);
    expect(freshReport.target_tables).toEqual(seededReport.target_tables);
  });

  it('writes the same target rows', async () => {
    expect(await targetChecksums(fresh.knex)).toEqual(await targetChecksums(seeded.knex));
  });

  it('writes the same id_map entries and rejects', async () => {
    const [a, b] = [await bookkeeping(fresh), await bookkeeping(seeded)];
    expect(a.idMap.length).toBeGreaterThan(0);
    expect(a.rejects.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });

  it('records this run as the first and last run of every id_map entry it wrote', async () => {
    const entries = await rows<{ n: number }>(
      fresh.knex,
      `SELECT count(*)::int AS n FROM monolith_migration.id_map
       WHERE first_run_id <> ?::uuid OR last_run_id <> ?::uuid OR deleted_at IS NOT NULL`,
      [freshReport.run_id, freshReport.run_id],
    );
    expect(entries[0]?.n).toBe(0);
  });
});
