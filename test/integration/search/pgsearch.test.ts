import { describe, expect, it } from 'vitest';
import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { describeSearchIndexContract } from '../../contracts/search-index.contract.ts';
import { TARGETS } from '../../support/databases.ts';

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
