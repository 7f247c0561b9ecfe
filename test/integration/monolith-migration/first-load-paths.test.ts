import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FirstLoadPaths } from '../../../adapters/postgres/monolith/first-load-insert.ts';
import { PgMonolithTarget } from '../../../adapters/postgres/monolith/pg-monolith-target.ts';
import type { MigrationReport } from '../../../src/monolith-migration/run-report.ts';
import type { MonolithDatabase } from '../../fixtures/monolith/monolith-database.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { freshTarget, migrateAndInspect, monolith, rows, targetChecksums } from './world.ts';

const paths = (migration: { target: unknown }): FirstLoadPaths => {
  if (!(migration.target instanceof PgMonolithTarget)) throw new Error('the composed target is not PostgreSQL');
  return migration.target.firstLoadPaths;
};

const ATTRIBUTE_VALUES = 'unified_attribute_values';

async function idMapOf(target: TestDatabase, sourceTable: string): Promise<unknown[]> {
  return rows(
    target.knex,
    `SELECT source_key, target_table, target_id, source_hash, extras FROM monolith_migration.id_map
     WHERE source_table = ? ORDER BY source_key`,
    [sourceTable],
  );
}

// A first load copies its rows straight into the target tables; when the target already holds some of them (here:
// the attribute values' bookkeeping lost while their listing_attributes rows stayed), the COPY fails and the staged
// upsert writes the batch instead, so the target ends as the upsert leaves it.
describe('migrate-from-monolith: the first load writes through the direct COPY, and falls back on a conflict', () => {
  let source: MonolithDatabase;
  let target: TestDatabase & { url: string };
  let first: { report: MigrationReport; inspected: FirstLoadPaths };
  let afterFirst: Record<string, string>;
  let attributeMap: unknown[];
  let again: { report: MigrationReport; inspected: FirstLoadPaths };

  beforeAll(async () => {
    source = await monolith();
    target = await freshTarget();
    first = await migrateAndInspect(source.url, target.url, {}, paths);
    afterFirst = await targetChecksums(target.knex);
    attributeMap = await idMapOf(target, ATTRIBUTE_VALUES);
    await target.knex.raw('DELETE FROM monolith_migration.id_map WHERE source_table = ?', [ATTRIBUTE_VALUES]);
    await target.knex.raw('DELETE FROM monolith_migration.rejects WHERE source_table = ?', [ATTRIBUTE_VALUES]);
    again = await migrateAndInspect(source.url, target.url, {}, paths);
  }, 240_000);
  afterAll(async () => {
    await target?.dispose();
    await source?.dispose();
  });

  it('writes every table of a fresh target through the direct COPY', () => {
    expect(first.report.reconciled).toBe(true);
    expect(first.inspected.direct).toBeGreaterThan(0);
    expect(first.inspected.staged).toBe(0);
  });

  it('falls back to the staged upsert where the rows are already there, and changes nothing', async () => {
    expect(attributeMap.length).toBeGreaterThan(0);
    expect(again.inspected.staged).toBeGreaterThan(0);
    expect(again.report.reconciled).toBe(true);
    expect(again.report.target_tables.listing_attributes).toMatchObject({ inserted: 0, updated: 0 });
    expect(await targetChecksums(target.knex)).toEqual(afterFirst);
    expect(await idMapOf(target, ATTRIBUTE_VALUES)).toEqual(attributeMap);
  });
});
