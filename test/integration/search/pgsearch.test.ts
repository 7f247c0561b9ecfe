import { describe, expect, it } from 'vitest';
import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import * as searchMigration from '../../../migrations/20261125000010_listing_search.ts';
import { describeSearchIndexContract } from '../../contracts/search-index.contract.ts';
import { TARGETS } from '../../support/databases.ts';
import { searchDocument } from './search-fixtures.ts';

// The PostgreSQL search index on the real PostgreSQL 15 and on PGlite (PostgreSQL 18), one fresh database each.
for (const target of TARGETS) {
  describeSearchIndexContract(`pgsearch on ${target.kind}`, async () => {
    const db = await target.open();
    await new KnexSchemaMigrator(db.knex).latest();
    const index = new PgSearchIndex({ knex: db.knex });
    return {
      index,
      async reset() {
        const side = (await db.knex.raw(
          `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename ~ '^listing_search_[vr][0-9]+$'`,
        )) as { rows: { tablename: string }[] };
        for (const { tablename } of side.rows) await db.knex.raw(`DROP TABLE ${tablename}`);
        await db.knex.raw('TRUNCATE listing_search');
        await index.ensureIndex();
      },
      dispose: () => db.dispose(),
    };
  });
}

describe.each(TARGETS)('pgsearch text configurations on $kind', ({ open }) => {
  it('has russian and serbian (the Serbian stemmer reads Cyrillic as Latin)', async () => {
    const db = await open();
    try {
      const found = (await db.knex.raw(
        `SELECT cfgname::text AS name FROM pg_ts_config WHERE cfgname IN ('russian', 'serbian', 'simple') ORDER BY 1`,
      )) as { rows: { name: string }[] };
      expect(found.rows.map((row) => row.name)).toEqual(['russian', 'serbian', 'simple']);
      const stems = (await db.knex.raw(
        `SELECT to_tsvector('serbian', 'Станови stanovi stanova kuća kuće')::text AS serbian,
                to_tsvector('russian', 'квартиры квартира')::text AS russian`,
      )) as { rows: { serbian: string; russian: string }[] };
      expect(stems.rows[0]).toEqual({ serbian: "'kuć':4,5 'stanov':1,2,3", russian: "'квартир':1,2" });
    } finally {
      await db.dispose();
    }
  });
});

describe.each(TARGETS)('migration 20261125000010 on $kind', ({ open }) => {
  it('is reversible: down drops listing_search and every shadow and retired table, up restores it', async () => {
    const db = await open();
    try {
      await new KnexSchemaMigrator(db.knex).latest();
      const index = new PgSearchIndex({ knex: db.knex });
      await index.swapAlias(await index.createVersionedIndex(), { keep: 1 });
      await index.createVersionedIndex();
      const searchTables = async () =>
        (
          (await db.knex.raw(
            `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'listing\\_search%' ORDER BY 1`,
          )) as { rows: { tablename: string }[] }
        ).rows.map((row) => row.tablename);
      expect(await searchTables()).toEqual(['listing_search', 'listing_search_r2', 'listing_search_v3']);
      await searchMigration.down(db.knex);
      expect(await searchTables()).toEqual([]);
      await searchMigration.up(db.knex);
      expect(await searchTables()).toEqual(['listing_search']);
      expect(await index.upsert([searchDocument(1)])).toEqual([{ id: 1, status: 'ok' }]);
    } finally {
      await db.dispose();
    }
  });
});

describe.each(TARGETS)('pgsearch upserts of documents it already holds on $kind', ({ open }) => {
  it('answers ok without rewriting the row; a changed document or a tombstone at the same version is written', async () => {
    const db = await open();
    try {
      await new KnexSchemaMigrator(db.knex).latest();
      const index = new PgSearchIndex({ knex: db.knex });
      const stored = async () =>
        (
          (await db.knex.raw(
            'SELECT listing_id, version, removed, title, xmin::text AS xmin FROM listing_search ORDER BY listing_id',
          )) as { rows: { listing_id: number; version: number; removed: boolean; title: string; xmin: string }[] }
        ).rows.map((row) => ({ ...row, listing_id: Number(row.listing_id), version: Number(row.version) }));
      const [one, two, three] = [searchDocument(1, { version: 2 }), searchDocument(2), searchDocument(3)];
      expect(await index.upsert([one, two, three])).toEqual([
        { id: 1, status: 'ok' },
        { id: 2, status: 'ok' },
        { id: 3, status: 'ok' },
      ]);
      await index.remove([{ id: 3, version: 1 }]);
      const before = await stored();

      // The same documents again: done, and no row version was written (same xmin).
      const again = await index.upsert([one, two, searchDocument(1, { version: 1 })]);
      expect(again).toEqual([
        { id: 1, status: 'ok' },
        { id: 2, status: 'ok' },
        { id: 1, status: 'stale' },
      ]);
      expect(await stored()).toEqual(before);

      // Same version, another document (a counter changed) and a tombstone at the same version: both written.
      const edited = { ...two, title: 'Sto od oraha' };
      expect(await index.upsert([edited, three])).toEqual([
        { id: 2, status: 'ok' },
        { id: 3, status: 'ok' },
      ]);
      const after = await stored();
      expect(after.map(({ listing_id, removed, title }) => [listing_id, removed, title])).toEqual([
        [1, false, one.title],
        [2, false, 'Sto od oraha'],
        [3, false, three.title],
      ]);
      expect(after[0]?.xmin).toBe(before[0]?.xmin);
      expect(after[1]?.xmin).not.toBe(before[1]?.xmin);
    } finally {
      await db.dispose();
    }
  });
});
