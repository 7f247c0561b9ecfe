import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../../../src/monolith-migration/run-report.ts';
import type { MonolithDatabase } from '../../fixtures/monolith/monolith-database.ts';
import { runCli } from '../../support/cli.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { listingsWithDriftedSideRows } from '../../support/side-rows-drift.ts';
import { freshTarget, migrate, monolith, rows, targetChecksums } from './world.ts';

/** Source rows in the migration's scope, per source table (§1: translations and geo rows of listings only). */
const SCOPE: Readonly<Record<string, string>> = {
  translations: "entity_type = 'listing'",
  unified_geo: "source_type::text IN ('c2c_listing', 'marketplace_listing')",
};

describe('migrate-from-monolith: a full run, then a rerun', () => {
  let source: MonolithDatabase;
  let target: TestDatabase & { url: string };
  let first: MigrationReport;
  let second: MigrationReport;
  let afterFirst: Record<string, string>;
  let queueAfterFirst: number;

  beforeAll(async () => {
    source = await monolith();
    target = await freshTarget();
    first = await migrate(source.url, target.url);
    afterFirst = await targetChecksums(target.knex);
    queueAfterFirst =
      (await rows<{ n: number }>(target.knex, 'SELECT count(*)::int AS n FROM indexing_queue'))[0]?.n ?? 0;
    second = await migrate(source.url, target.url);
  }, 240_000);
  afterAll(async () => {
    await target?.dispose();
    await source?.dispose();
  });

  it('reads every source table and reconciles each: source = migrated + rejected', async () => {
    expect(first.mode).toBe('full');
    expect(first.reconciled).toBe(true);
    for (const [table, counts] of Object.entries(first.tables)) {
      const scope = SCOPE[table];
      const [row] = await rows<{ n: number }>(
        source.knex,
        `SELECT count(*)::int AS n FROM ${table}${scope ? ` WHERE ${scope}` : ''}`,
      );
      const [booked] = await rows<{ migrated: number; rejected: number }>(
        target.knex,
        `SELECT (SELECT count(*)::int FROM monolith_migration.id_map WHERE source_table = ? AND deleted_at IS NULL)
                  AS migrated,
                (SELECT count(*)::int FROM monolith_migration.rejects WHERE source_table = ?) AS rejected`,
        [table, table],
      );
      expect({ table, source: counts.source, read: counts.read }).toEqual({ table, source: row?.n, read: row?.n });
      expect({ table, total: (booked?.migrated ?? 0) + (booked?.rejected ?? 0) }).toEqual({ table, total: row?.n });
      expect({ table, migrated: counts.migrated, rejected: counts.rejected }).toEqual({
        table,
        migrated: booked?.migrated,
        rejected: booked?.rejected,
      });
    }
    expect(Object.keys(first.tables)).toHaveLength(16);
    expect(first.rejected_total).toBeGreaterThan(0);
  });

  it('writes one target listing per migrated listing and product, with its derived UUID', async () => {
    const [counts] = await rows<{ listings: number; migrated: number; uuids: number }>(
      target.knex,
      `SELECT (SELECT count(*)::int FROM listings) AS listings,
              (SELECT count(*)::int FROM monolith_migration.id_map
               WHERE source_table IN ('c2c_listings', 'b2c_products')) AS migrated,
              (SELECT count(DISTINCT uuid)::int FROM listings) AS uuids`,
    );
    expect(counts?.listings).toBe(
      (first.tables.c2c_listings?.migrated ?? 0) + (first.tables.b2c_products?.migrated ?? 0),
    );
    expect(counts?.migrated).toBe(counts?.listings);
    expect(counts?.uuids).toBe(counts?.listings);
  });

  it("keeps the source's updated_at (the target trigger does not replace it), converted from the source zone", async () => {
    const expected = await rows<{ id: number; updated_at: string }>(
      source.knex,
      `SELECT id, to_char((updated_at AT TIME ZONE ?) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS updated_at
       FROM c2c_listings WHERE updated_at IS NOT NULL AND created_at IS NOT NULL ORDER BY id`,
      [source.manifest.zone],
    );
    const actual = await rows<{ id: number; updated_at: string }>(
      target.knex,
      `SELECT id, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS updated_at
       FROM listings WHERE source_type = 'c2c' ORDER BY id`,
    );
    const byId = new Map(actual.map((row) => [Number(row.id), row.updated_at]));
    const compared = expected.filter((row) => byId.has(Number(row.id)));
    expect(compared.length).toBeGreaterThan(100);
    for (const row of compared)
      expect({ id: row.id, at: byId.get(Number(row.id)) }).toEqual({ id: row.id, at: row.updated_at });
  });

  it('moves every target sequence past the ids the monolith handed out', async () => {
    const [listing] = await rows<{ last_value: string }>(target.knex, 'SELECT last_value::text FROM listings_id_seq');
    expect(Number(listing?.last_value)).toBeGreaterThanOrEqual(source.manifest.globalSequenceValue);
    expect(first.sequences.listings).toBeGreaterThanOrEqual(source.manifest.globalSequenceValue);
    for (const table of [
      'storefronts',
      'c2c_categories',
      'inventory_movements',
      'listing_images',
      'b2c_product_variants',
    ]) {
      const [state] = await rows<{ last_value: string; max_id: string | null }>(
        target.knex,
        `SELECT (SELECT last_value::text FROM ${table}_id_seq) AS last_value,
                (SELECT max(id)::text FROM ${table} WHERE id < 1000000000) AS max_id`,
      );
      expect(Number(state?.last_value)).toBeGreaterThanOrEqual(Number(state?.max_id ?? 0));
    }
  });

  it("keeps every listing's read copy of its side rows equal to the side tables (refreshed once per batch)", async () => {
    const [withSideRows] = await rows<{ n: number }>(target.knex, 'SELECT count(*)::int AS n FROM listing_side_rows');
    expect(withSideRows?.n).toBeGreaterThan(0);
    expect(await listingsWithDriftedSideRows(target.knex)).toEqual([]);
  });

  it('enqueues one outbox entry per migrated listing, so the worker indexes them', async () => {
    const [queue] = await rows<{ entries: number; listings: number; missing: number }>(
      target.knex,
      `SELECT count(*)::int AS entries, count(DISTINCT listing_id)::int AS listings,
              (SELECT count(*)::int FROM listings l
               WHERE NOT EXISTS (SELECT 1 FROM indexing_queue q WHERE q.listing_id = l.id)) AS missing
       FROM indexing_queue WHERE status = 'pending'`,
    );
    expect(queue?.missing).toBe(0);
    expect(queue?.entries).toBe(queue?.listings);
    expect(first.outbox.mode).toBe('enqueued');
  });

  it('records the run, its report and its checkpoints', async () => {
    const runs = await rows<{ run_id: string; mode: string; status: string; counts: MigrationReport }>(
      target.knex,
      'SELECT run_id, mode, status, counts FROM monolith_migration.runs ORDER BY started_at',
    );
    expect(runs.map((run) => [run.run_id, run.mode, run.status])).toEqual([
      [first.run_id, 'full', 'completed'],
      [second.run_id, 'catch-up', 'completed'],
    ]);
    expect(runs[0]?.counts.tables.c2c_listings?.inserted).toBe(first.tables.c2c_listings?.inserted);
    const [checkpoint] = await rows<{ rows_read: string; last_key: string | null }>(
      target.knex,
      `SELECT rows_read::text, last_key FROM monolith_migration.checkpoints WHERE run_id = ? AND source_table = 'c2c_listings'`,
      [first.run_id],
    );
    expect(Number(checkpoint?.rows_read)).toBe(first.tables.c2c_listings?.read);
    expect(checkpoint?.last_key).toBeNull();
  });

  it('reruns as a no-op: inserted 0, updated 0, unchanged N for every table, no target row touched', async () => {
    expect(second.mode).toBe('catch-up');
    expect(second.reconciled).toBe(true);
    for (const [table, counts] of Object.entries(second.tables)) {
      expect({ table, inserted: counts.inserted, updated: counts.updated, deleted: counts.deleted }).toEqual({
        table,
        inserted: 0,
        updated: 0,
        deleted: 0,
      });
      expect({ table, unchanged: counts.unchanged }).toEqual({ table, unchanged: first.tables[table]?.migrated });
    }
    for (const counts of Object.values(second.target_tables)) expect(counts?.inserted ?? 0).toBe(0);
    expect(await targetChecksums(target.knex)).toEqual(afterFirst);
    const [queue] = await rows<{ n: number }>(target.knex, 'SELECT count(*)::int AS n FROM indexing_queue');
    expect(queue?.n).toBe(queueAfterFirst);
    expect(second.outbox.enqueued).toBe(0);
  });

  it('lets the indexing worker index every migrated live listing from the outbox', async () => {
    const drained = await runCli(['--json', 'worker', '--drain'], {
      env: { SVETULISTINGS_DB_URL: target.url, SVETULISTINGS_SEARCH_ENGINE: 'postgres' },
    });
    expect(drained.code).toBe(0);
    // Q14 coordinates (outside ±90/±180) are migrated verbatim; search leaves such a point out of the document
    // and indexes the rest (monolith.md Q14 "search must skip invalid points"), so nothing may end as a dead letter.
    const [state] = await rows<{ waiting: number; dead: number; active: number; indexed: number; invalid: number }>(
      target.knex,
      `SELECT (SELECT count(*)::int FROM indexing_queue WHERE status IN ('pending', 'processing', 'failed')) AS waiting,
              (SELECT count(*)::int FROM indexing_queue WHERE status = 'dead') AS dead,
              (SELECT count(*)::int FROM listings WHERE status = 'active' AND NOT is_deleted) AS active,
              (SELECT count(*)::int FROM listings l JOIN listing_search s ON s.listing_id = l.id AND NOT s.removed
               WHERE l.status = 'active' AND NOT l.is_deleted) AS indexed,
              (SELECT count(*)::int FROM listings l LEFT JOIN listing_locations g ON g.listing_id = l.id
               WHERE abs(g.latitude) > 90 OR abs(g.longitude) > 180
                  OR abs(l.individual_latitude) > 90 OR abs(l.individual_longitude) > 180) AS invalid`,
    );
    expect(state).toMatchObject({ waiting: 0, dead: 0 });
    expect(state?.invalid).toBeGreaterThan(0);
    expect(state?.active).toBeGreaterThan(0);
    expect(state?.indexed).toBe(state?.active);
  }, 120_000);
});
