import type { Knex } from 'knex';

/**
 * `listings validate` compares the image rows with the object store by walking both in key order side by side
 * (src/validate/missing-image-objects.ts): the store lists keys in UTF-8 byte order, so the rows are read in
 * `storage_key COLLATE "C"` order (bytewise; the database is UTF-8), a page of 1,000 after the last row read. Without
 * an index in that order every page would sort the whole table. `id` breaks ties between rows sharing a key. Partial:
 * rows without a `storage_key` (images the service never stored) are never read this way.
 *
 * Plain CREATE INDEX (migrations run in one transaction): on a large production table build it CONCURRENTLY by hand
 * first, with this name.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE INDEX idx_listing_images_storage_key ON listing_images (storage_key COLLATE "C", id)
      WHERE storage_key IS NOT NULL;`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX idx_listing_images_storage_key;');
}
