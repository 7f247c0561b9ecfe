import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../../../src/monolith-migration/run-report.ts';
import type { MonolithDatabase } from '../../fixtures/monolith/monolith-database.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { freshTarget, migrate, monolith, rows, targetChecksums } from './world.ts';

/** Every row the target holds, bookkeeping included, and where its sequences stand. */
async function everything(target: TestDatabase): Promise<Record<string, string>> {
  const sums = await targetChecksums(target.knex);
  const [book] = await rows<Record<string, number>>(
    target.knex,
    `SELECT (SELECT count(*)::int FROM monolith_migration.runs) AS runs,
            (SELECT count(*)::int FROM monolith_migration.checkpoints) AS checkpoints,
            (SELECT count(*)::int FROM monolith_migration.id_map) AS id_map,
            (SELECT count(*)::int FROM monolith_migration.rejects) AS rejects,
            (SELECT count(*)::int FROM indexing_queue) AS queue,
            (SELECT last_value || '/' || is_called FROM listings_id_seq) AS listings_seq`,
  );
  return { ...sums, ...Object.fromEntries(Object.entries(book ?? {}).map(([k, v]) => [k, String(v)])) };
}

describe('migrate-from-monolith --dry-run', () => {
  let source: MonolithDatabase;
  let target: TestDatabase & { url: string };
  let plan: MigrationReport;
  let real: MigrationReport;
  let empty: Record<string, string>;
  let afterPlan: Record<string, string>;

  beforeAll(async () => {
    source = await monolith({ seed: 13 });
    target = await freshTarget();
    empty = await everything(target);
    plan = await migrate(source.url, target.url, { dryRun: true });
    afterPlan = await everything(target);
    real = await migrate(source.url, target.url);
  }, 240_000);
  afterAll(async () => {
    await target?.dispose();
    await source?.dispose();
  });

  it('writes nothing, not even bookkeeping, and moves no sequence', () => {
    expect(afterPlan).toEqual(empty);
    expect(Number(empty.id_map)).toBe(0);
  });

  it('plans exactly what the real run then does: inserts, rejects and repairs by code, status matrix, sequences', () => {
    expect(plan.dry_run).toBe(true);
    expect(plan.mode).toBe('dry-run');
    expect(plan.reconciled).toBe(true);
    for (const [table, counts] of Object.entries(real.tables)) {
      const planned = plan.tables[table];
      expect({ table, inserted: planned?.inserted, rejected: planned?.rejected, repaired: planned?.repaired }).toEqual({
        table,
        inserted: counts.inserted,
        rejected: counts.rejected,
        repaired: counts.repaired,
      });
    }
    expect(plan.rejects_by_code).toEqual(real.rejects_by_code);
    expect(plan.repairs_by_code).toEqual(real.repairs_by_code);
    expect(plan.status_matrix).toEqual(real.status_matrix);
    expect(plan.sequences).toEqual(real.sequences);
    expect(plan.outbox.mode).toBe('dry run');
  });

  it('after a real run and a source change, plans only the change and still writes nothing', async () => {
    const [listing] = await rows<{ id: number }>(
      source.knex,
      `SELECT min(id) AS id FROM c2c_listings WHERE price > 0 AND user_id > 0 AND category_id IS NOT NULL`,
    );
    await source.knex.raw("UPDATE c2c_listings SET description = 'izmenjeno' WHERE id = ?", [Number(listing?.id)]);
    const before = await everything(target);
    const again = await migrate(source.url, target.url, { dryRun: true });
    expect(await everything(target)).toEqual(before);
    expect(again.tables.c2c_listings).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    expect(again.tables.c2c_images).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
  });
});

describe('migrate-from-monolith --since', () => {
  let source: MonolithDatabase;
  let target: TestDatabase & { url: string };
  let narrowed: MigrationReport;
  let recent: number;
  let stale: number;
  let since: string;
  let queueBefore: number;

  beforeAll(async () => {
    source = await monolith({ seed: 14 });
    target = await freshTarget();
    await migrate(source.url, target.url);
    const valid = await rows<{ id: number }>(
      source.knex,
      `SELECT id FROM c2c_listings WHERE price > 0 AND user_id > 0 AND category_id IS NOT NULL
         AND created_at IS NOT NULL AND updated_at IS NOT NULL ORDER BY id LIMIT 2`,
    );
    recent = Number(valid[0]?.id);
    stale = Number(valid[1]?.id);
    const [newest] = await rows<{ at: string }>(
      source.knex,
      `SELECT to_char(greatest(max(created_at), max(updated_at)) + interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS')
                AS at FROM c2c_listings`,
    );
    // --since is UTC; the naive source columns are Belgrade time: a day past the newest row is past every row.
    since = `${newest?.at}Z`;
    await source.knex.raw(
      "UPDATE c2c_listings SET title = 'Svež naslov', updated_at = ?::timestamp + interval '1 day' WHERE id = ?",
      [String(newest?.at), recent],
    );
    await source.knex.raw("UPDATE c2c_listings SET title = 'Zaboravljen naslov' WHERE id = ?", [stale]);
    queueBefore = (await rows<{ n: number }>(target.knex, 'SELECT count(*)::int AS n FROM indexing_queue'))[0]?.n ?? 0;
    narrowed = await migrate(source.url, target.url, { since, enqueue: false });
  }, 240_000);
  afterAll(async () => {
    await target?.dispose();
    await source?.dispose();
  });

  it('scans only listings created or updated since then, and rewrites them', async () => {
    expect(narrowed.since).toMatch(/Z$/);
    expect(narrowed.tables.c2c_listings).toMatchObject({ read: 1, updated: 1, deleted: 0 });
    const titles = await rows<{ id: number; title: string }>(
      target.knex,
      'SELECT id, title FROM listings WHERE id IN (?, ?)',
      [recent, stale],
    );
    const byId = new Map(titles.map((row) => [Number(row.id), row.title]));
    expect(byId.get(recent)).toBe('Svež naslov');
    expect(byId.get(stale)).not.toBe('Zaboravljen naslov');
  });

  it('still rescans children, favorites and attribute values whole, and deletes nothing it did not scan', async () => {
    for (const table of ['c2c_images', 'c2c_favorites', 'unified_attribute_values']) {
      const [count] = await rows<{ n: number }>(source.knex, `SELECT count(*)::int AS n FROM ${table}`);
      expect({ table, read: narrowed.tables[table]?.read }).toEqual({ table, read: count?.n });
    }
    for (const counts of Object.values(narrowed.tables)) expect(counts.deleted).toBe(0);
    expect(narrowed.reconciled).toBe(true);
  });

  it('enqueues nothing with --no-enqueue, and says so', async () => {
    const [queue] = await rows<{ n: number }>(target.knex, 'SELECT count(*)::int AS n FROM indexing_queue');
    expect(queue?.n).toBe(queueBefore);
    expect(narrowed.outbox).toEqual({ enqueued: 0, mode: 'skipped (--no-enqueue)' });
  });
});
