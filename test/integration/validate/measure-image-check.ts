/**
 * Measures validate's stored-images check (src/validate/image-objects-check.ts) once per object store: N image rows
 * (five a listing) with their object (and a thumbnail beside it) in MinIO and in a temp folder, on a fresh PostgreSQL
 * database; prints the check's wall time and image rows per second. Not part of the suite:
 *
 *   scripts/run node test/integration/validate/measure-image-check.ts [images=5000]
 *
 * It prints the load average with each figure: on a shared machine, compare runs taken at similar load.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { KnexImageKeyIndex } from '../../../adapters/sql/knex-image-key-index.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { systemClock } from '../../../adapters/system/system-clock.ts';
import { seed as seedCategories } from '../../../migrations/seeds/categories.ts';
import { CollectOrphanImages } from '../../../src/images/collect-orphans.ts';
import { ImageObjectsCheck } from '../../../src/validate/image-objects-check.ts';
import { freshPostgres } from '../../support/databases.ts';
import { openStore, STORE_KINDS } from '../images/image-world.ts';

const count = Number(process.argv[2] ?? 5000);
const PUTS = 16;
const IMAGES_PER_LISTING = 5;
const db = await freshPostgres('listings_measure_images');
try {
  await new KnexSchemaMigrator(db.knex).latest();
  await seedCategories(db.knex);
  const [category] = await db.knex('c2c_categories').select('id').limit(1);
  // Five images a listing, as a marketplace has: the orphan judgement reads each batch's listings' keys, so one
  // listing holding every image would make each of its lookups return all of them.
  const listingIds: number[] = [];
  for (let made = 0; made < Math.ceil(count / IMAGES_PER_LISTING); made += 1000) {
    const rows = (
      (await db.knex.raw(
        `INSERT INTO listings (user_id, title, price, category_id, status, visibility, quantity)
         SELECT 1, 'Has images', 100, ?, 'active', 'public', 1 FROM generate_series(1, ?) RETURNING id`,
        [category.id, Math.min(1000, Math.ceil(count / IMAGES_PER_LISTING) - made)],
      )) as { rows: { id: number }[] }
    ).rows;
    listingIds.push(...rows.map((row) => Number(row.id)));
  }
  const images = Array.from({ length: count }, (_, at) => {
    const listingId = listingIds[Math.floor(at / IMAGES_PER_LISTING)] as number;
    return { listingId, folder: `listings/${listingId}/${randomUUID()}/` };
  });
  const folders = images.map((image) => image.folder);
  for (let start = 0; start < images.length; start += 1000) {
    await db.knex('listing_images').insert(
      images.slice(start, start + 1000).map(({ listingId, folder }) => ({
        listing_id: listingId,
        url: `https://img.example/${folder}original.jpg`,
        storage_key: `${folder}original.jpg`,
      })),
    );
  }
  for (const kind of STORE_KINDS) {
    const { store, dispose } = await openStore(kind);
    try {
      const keys = folders.flatMap((folder) => [`${folder}original.jpg`, `${folder}small.webp`]);
      for (let start = 0; start < keys.length; start += PUTS) {
        await Promise.all(
          keys
            .slice(start, start + PUTS)
            .map((key) => store.put(key, Buffer.from('bytes'), { contentType: 'image/jpeg' })),
        );
      }
      const check = new ImageObjectsCheck({ store, keys: new KnexImageKeyIndex(db.knex), clock: systemClock });
      // The object listing alone (what `images gc --dry-run` does): the check walks the rows beside this same
      // listing, so its time should stay close to it.
      const listingStarted = performance.now();
      await new CollectOrphanImages({ store, keys: new KnexImageKeyIndex(db.knex), clock: systemClock }).execute({
        olderThanMs: 0,
        dryRun: true,
      });
      const listingMs = performance.now() - listingStarted;
      const started = performance.now();
      const result = await check.run({ keptKeys: 1000, olderThanMs: 0, stopped: () => false });
      const ms = performance.now() - started;
      console.log(
        JSON.stringify({
          store: kind,
          imageRows: result.imageRows,
          scannedObjects: result.scannedObjects,
          missing: result.missing.count,
          orphans: result.orphans.count,
          durationMs: Math.round(ms),
          objectListingMs: Math.round(listingMs),
          rowsPerSecond: Math.round(result.imageRows / (ms / 1000)),
          loadAverage: loadavg().map((load) => load.toFixed(2)),
        }),
      );
    } finally {
      await dispose();
    }
  }
} finally {
  await db.dispose();
}
