import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listingUuid } from '../../../src/monolith-migration/mapping/index.ts';
import type { MigrationReport } from '../../../src/monolith-migration/run-report.ts';
import type { MonolithDatabase } from '../../fixtures/monolith/monolith-database.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { listingsWithDriftedSideRows } from '../../support/side-rows-drift.ts';
import { freshTarget, migrate, monolith, rows, targetChecksums } from './world.ts';

/** Migrated C2C listings of the first run with at least `images` images and `favorites` favorites at the source. */
async function pickListings(
  source: MonolithDatabase,
  target: TestDatabase,
  want: { images: number; favorites: number },
  not: readonly number[],
): Promise<number> {
  const migrated = new Set(
    (
      await rows<{ id: string }>(
        target.knex,
        "SELECT target_id AS id FROM monolith_migration.id_map WHERE source_table = 'c2c_listings'",
      )
    ).map((row) => Number(row.id)),
  );
  const candidates = await rows<{ id: number }>(
    source.knex,
    `SELECT l.id FROM c2c_listings l
     WHERE (SELECT count(*) FROM c2c_images i WHERE i.listing_id = l.id) >= ?
       AND (SELECT count(*) FROM c2c_favorites f WHERE f.listing_id = l.id) >= ?
     ORDER BY l.id`,
    [want.images, want.favorites],
  );
  const id = candidates
    .map((row) => Number(row.id))
    .find((candidate) => migrated.has(candidate) && !not.includes(candidate));
  if (id === undefined) throw new Error(`the fixture has no migrated listing with ${JSON.stringify(want)}`);
  return id;
}

describe('migrate-from-monolith: a catch-up run writes what changed at the source, and nothing else', () => {
  let source: MonolithDatabase;
  let target: TestDatabase & { url: string };
  let catchUp: MigrationReport;
  let before: Record<string, string>;
  let updated: number;
  let deleted: number;
  let trimmed: number;
  let created: number;
  let deletedImages: number;
  let removedImage: number;
  let rejectedGone: string;

  beforeAll(async () => {
    source = await monolith({ seed: 12 });
    target = await freshTarget();
    await migrate(source.url, target.url);
    deleted = await pickListings(source, target, { images: 1, favorites: 1 }, []);
    trimmed = await pickListings(source, target, { images: 2, favorites: 0 }, [deleted]);
    updated = await pickListings(source, target, { images: 0, favorites: 0 }, [deleted, trimmed]);
    const untouched = (column: string) => `${column} NOT IN (${[updated, deleted, trimmed].join(', ')})`;
    before = await targetChecksums(target.knex, {
      listings: untouched('id'),
      listing_images: untouched('listing_id'),
      listing_locations: untouched('listing_id'),
      listing_attributes: untouched('listing_id'),
      c2c_favorites: untouched('listing_id'),
    });
    // As if the worker had indexed the first run: what is pending afterwards was enqueued by the catch-up.
    await target.knex.raw("UPDATE indexing_queue SET status = 'completed', processed_at = now()");

    // At the source: one listing edited without touching updated_at (Q15), one hard-deleted with its children
    // (Q16), one image removed, one listing created with an image.
    await source.knex.raw("UPDATE c2c_listings SET title = 'Bicikl, očuvan, nove gume' WHERE id = ?", [updated]);
    deletedImages = Number(
      (
        await rows<{ n: number }>(source.knex, 'SELECT count(*)::int AS n FROM c2c_images WHERE listing_id = ?', [
          deleted,
        ])
      )[0]?.n,
    );
    await source.knex.raw('DELETE FROM c2c_listings WHERE id = ?', [deleted]);
    removedImage = Number(
      (
        await rows<{ id: number }>(source.knex, 'SELECT max(id) AS id FROM c2c_images WHERE listing_id = ?', [trimmed])
      )[0]?.id,
    );
    await source.knex.raw('DELETE FROM c2c_images WHERE id = ?', [removedImage]);
    const [rejected] = await rows<{ key: string }>(
      target.knex,
      "SELECT min(source_key) AS key FROM monolith_migration.rejects WHERE source_table = 'c2c_listings'",
    );
    rejectedGone = String(rejected?.key);
    await source.knex.raw('DELETE FROM c2c_listings WHERE id = ?', [Number(rejectedGone)]);
    const [category] = await rows<{ id: number }>(target.knex, 'SELECT min(id) AS id FROM c2c_categories');
    const [row] = await rows<{ id: number }>(
      source.knex,
      `INSERT INTO c2c_listings (user_id, category_id, title, description, price, status, created_at, updated_at)
       VALUES (77, ?, 'Новая кофеварка', 'nova', 4200.00, 'active', '2025-11-20 10:00:00.123456',
               '2025-11-20 10:00:00.123456') RETURNING id`,
      [Number(category?.id)],
    );
    created = Number(row?.id);
    await source.knex.raw(
      `INSERT INTO c2c_images (listing_id, file_path, file_name, file_size, content_type, is_main, public_url)
       VALUES (?, 'listings/new/1.jpg', '1.jpg', 1234, 'image/jpeg', true, 'https://cdn.example/1.jpg')`,
      [created],
    );
    catchUp = await migrate(source.url, target.url);
  }, 240_000);
  afterAll(async () => {
    await target?.dispose();
    await source?.dispose();
  });

  it('reports the insert, the update and the delete of c2c_listings, and nothing for untouched tables', () => {
    expect(catchUp.mode).toBe('catch-up');
    expect(catchUp.reconciled).toBe(true);
    const listings = catchUp.tables.c2c_listings;
    expect({ inserted: listings?.inserted, updated: listings?.updated, deleted: listings?.deleted }).toEqual({
      inserted: 1,
      updated: 1,
      deleted: 1,
    });
    const images = catchUp.tables.c2c_images;
    expect({ inserted: images?.inserted, updated: images?.updated, deleted: images?.deleted }).toEqual({
      inserted: 1,
      updated: 0,
      deleted: deletedImages + 1,
    });
    for (const table of [
      'c2c_categories',
      'b2c_stores',
      'b2c_products',
      'b2c_product_images',
      'b2c_product_variants',
    ]) {
      const counts = catchUp.tables[table];
      expect({ table, inserted: counts?.inserted, updated: counts?.updated, deleted: counts?.deleted }).toEqual({
        table,
        inserted: 0,
        updated: 0,
        deleted: 0,
      });
    }
  });

  it('soft-deletes the deleted listing and hard-deletes the children it owned', async () => {
    const [listing] = await rows<{ is_deleted: boolean; deleted_at: Date | null }>(
      target.knex,
      'SELECT is_deleted, deleted_at FROM listings WHERE id = ?',
      [deleted],
    );
    expect(listing?.is_deleted).toBe(true);
    expect(listing?.deleted_at).toBeInstanceOf(Date);
    for (const table of ['listing_images', 'listing_attributes', 'listing_locations', 'c2c_favorites']) {
      const [left] = await rows<{ n: number }>(
        target.knex,
        `SELECT count(*)::int AS n FROM ${table} WHERE listing_id = ?`,
        [deleted],
      );
      expect({ table, rows: left?.n }).toEqual({ table, rows: 0 });
    }
    const [entry] = await rows<{ deleted_at: Date | null }>(
      target.knex,
      "SELECT deleted_at FROM monolith_migration.id_map WHERE source_table = 'c2c_listings' AND source_key = ?",
      [String(deleted)],
    );
    expect(entry?.deleted_at).toBeInstanceOf(Date);
  });

  it('rewrites the edited listing and inserts the new one with its image and derived UUID', async () => {
    const [edited] = await rows<{ title: string; version: string }>(
      target.knex,
      'SELECT title, version::text FROM listings WHERE id = ?',
      [updated],
    );
    expect(edited?.title).toBe('Bicikl, očuvan, nove gume');
    expect(Number(edited?.version)).toBeGreaterThan(1);
    // The edit did not touch the source's updated_at (Q15); the UPDATE keeps it despite the target's trigger.
    const [expected] = await rows<{ at: string }>(
      source.knex,
      `SELECT to_char((coalesce(updated_at, created_at) AT TIME ZONE ?) AT TIME ZONE 'UTC',
                      'YYYY-MM-DD"T"HH24:MI:SS.US') AS at FROM c2c_listings WHERE id = ?`,
      [source.manifest.zone, updated],
    );
    const [kept] = await rows<{ at: string }>(
      target.knex,
      `SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at FROM listings WHERE id = ?`,
      [updated],
    );
    expect(kept?.at).toBe(expected?.at);
    const [fresh] = await rows<{ uuid: string; title: string; created_at: string; images: number }>(
      target.knex,
      `SELECT uuid, title, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS created_at,
              (SELECT count(*)::int FROM listing_images i WHERE i.listing_id = l.id) AS images
       FROM listings l WHERE id = ?`,
      [created],
    );
    expect(fresh).toEqual({
      uuid: listingUuid('c2c_listings', created),
      title: 'Новая кофеварка',
      // 10:00 in Belgrade (UTC+1 in November) is 09:00 UTC.
      created_at: '2025-11-20T09:00:00.123456',
      images: 1,
    });
    const [gone] = await rows<{ n: number }>(
      target.knex,
      'SELECT count(*)::int AS n FROM listing_images WHERE id = ?',
      [removedImage],
    );
    expect(gone?.n).toBe(0);
  });

  it('drops the reject entry of a rejected row deleted at the source, so the table still reconciles', async () => {
    const left = await rows<{ source_key: string }>(
      target.knex,
      "SELECT source_key FROM monolith_migration.rejects WHERE source_table = 'c2c_listings' AND source_key = ?",
      [rejectedGone],
    );
    expect(left).toEqual([]);
    expect(catchUp.tables.c2c_listings?.reconciled).toBe(true);
  });

  it('leaves every other target row as it was', async () => {
    const untouched = (column: string) => `${column} NOT IN (${[updated, deleted, trimmed].join(', ')})`;
    const after = await targetChecksums(target.knex, {
      listings: `${untouched('id')} AND id <> ${created}`,
      listing_images: `${untouched('listing_id')} AND listing_id <> ${created}`,
      listing_locations: `${untouched('listing_id')} AND listing_id <> ${created}`,
      listing_attributes: `${untouched('listing_id')} AND listing_id <> ${created}`,
      c2c_favorites: untouched('listing_id'),
    });
    expect(after).toEqual(before);
  });

  it('keeps the read copy of side rows equal to the side tables after updates and deletes', async () => {
    expect(await listingsWithDriftedSideRows(target.knex)).toEqual([]);
  });

  it('enqueues exactly the listings that changed', async () => {
    const entries = await rows<{ listing_id: string; operation: string }>(
      target.knex,
      "SELECT listing_id::text, operation FROM indexing_queue WHERE status = 'pending' ORDER BY listing_id",
    );
    expect(entries.map((entry) => [Number(entry.listing_id), entry.operation])).toEqual(
      [
        [updated, 'index'],
        [deleted, 'delete'],
        [trimmed, 'index'],
        [created, 'index'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
  });
});
