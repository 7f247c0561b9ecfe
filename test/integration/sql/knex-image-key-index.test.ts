import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { KnexImageKeyIndex } from '../../../adapters/sql/knex-image-key-index.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import type { KeyOrderPosition, StoredImageKey } from '../../../ports/image-key-index.ts';
import { compareObjectKeys } from '../../../ports/object-store.ts';
import { TARGETS } from '../../support/databases.ts';

// Keys whose byte order differs from UTF-16 order (😀 is a surrogate pair, ｘ is U+FF58) and from a language
// collation (`B` before `a`, `a-1` before `a.`, `a.` before `a/`); one key held by two rows.
const KEYS = [
  'listings/😀.jpg',
  'listings/a.jpg',
  'listings/B.jpg',
  'listings/ｘ.jpg',
  'listings/a/1.jpg',
  'listings/é.jpg',
  'listings/a-1.jpg',
  'legacy/cover.jpg',
  'listings/a.jpg',
];

async function listingWithImages(knex: Knex, keys: readonly (string | null)[]): Promise<number[]> {
  const [category] = (await knex('c2c_categories')
    .insert({ slug: 'key-order', name: 'Key order', level: 0 })
    .returning('id')) as { id: number }[];
  const [listing] = (
    (await knex.raw(
      `INSERT INTO listings (user_id, title, price, category_id, status, visibility, quantity)
       VALUES (1, 'Has images', 100, ?, 'active', 'public', 1) RETURNING id`,
      [Number(category?.id)],
    )) as { rows: { id: number }[] }
  ).rows;
  const ids: number[] = [];
  for (const key of keys) {
    const [row] = (await knex('listing_images')
      .insert({ listing_id: listing?.id, url: 'https://img/x', storage_key: key })
      .returning('id')) as { id: number }[];
    ids.push(Number(row?.id));
  }
  return ids;
}

/** Every row, a page of `limit` at a time. */
async function walk(index: KnexImageKeyIndex, limit: number): Promise<StoredImageKey[]> {
  const rows: StoredImageKey[] = [];
  let after: KeyOrderPosition | undefined;
  for (;;) {
    const page = await index.storedImagesInKeyOrder(after, limit);
    rows.push(...page);
    if (page.length < limit) return rows;
    after = page.at(-1);
  }
}

// The order `validate` walks image rows in beside the object listing, on the real PostgreSQL 15 and on PGlite.
for (const target of TARGETS) {
  describe(`KnexImageKeyIndex.storedImagesInKeyOrder on ${target.kind}`, () => {
    it('pages through the rows with a storage key in the store key order (UTF-8 bytes), ties by id', async () => {
      const db = await target.open();
      try {
        await new KnexSchemaMigrator(db.knex).latest();
        const ids = await listingWithImages(db.knex, [...KEYS, null]);
        const index = new KnexImageKeyIndex(db.knex);
        const expected = KEYS.map((storageKey, at) => ({ id: Number(ids[at]), storageKey })).sort(
          (a, b) => compareObjectKeys(a.storageKey, b.storageKey) || a.id - b.id,
        );
        // Not the order a plain JavaScript sort would give, so the test tells the orders apart.
        expect(expected.map((row) => row.storageKey)).not.toEqual([...KEYS].sort());
        for (const limit of [1, 2, 4, 1000]) {
          const rows = await walk(index, limit);
          expect(rows.map(({ id, storageKey }) => ({ id, storageKey }))).toEqual(expected);
        }
        expect(await index.storedImagesInKeyOrder(expected.at(-1), 10)).toEqual([]);
        await expect(index.storedImagesInKeyOrder(undefined, 1001)).rejects.toMatchObject({ code: 'INTERNAL' });

        if (target.kind === 'postgres') {
          // A column under a language collation (as a database created with one gives) still pages in byte order.
          await db.knex.raw('ALTER TABLE listing_images ALTER COLUMN storage_key TYPE TEXT COLLATE "en-x-icu"');
          expect((await walk(index, 3)).map((row) => row.storageKey)).toEqual(expected.map((row) => row.storageKey));
        }
      } finally {
        await db.dispose();
      }
    });
  });
}
