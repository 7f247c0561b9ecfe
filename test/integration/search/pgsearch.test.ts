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
