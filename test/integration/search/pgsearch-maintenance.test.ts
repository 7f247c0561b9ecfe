import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { PgSearchMaintenance } from '../../../adapters/pgsearch/pg-search-maintenance.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { describeSearchIndexMaintenanceContract } from '../../contracts/search-index-maintenance.contract.ts';
import { TARGETS } from '../../support/databases.ts';

// On the real PostgreSQL 15 and on PGlite, one fresh database each.
for (const target of TARGETS) {
  describeSearchIndexMaintenanceContract(`pgsearch on ${target.kind}`, async () => {
    const db = await target.open();
    await new KnexSchemaMigrator(db.knex).latest();
    return {
      index: new PgSearchIndex({ knex: db.knex }),
      maintenance: new PgSearchMaintenance({ knex: db.knex }),
      async reset() {
        const side = (await db.knex.raw(
          `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename ~ '^listing_search_[vr][0-9]+$'`,
        )) as { rows: { tablename: string }[] };
        for (const { tablename } of side.rows) await db.knex.raw(`DROP TABLE ${tablename}`);
        await db.knex.raw('TRUNCATE listing_search');
      },
      dispose: () => db.dispose(),
    };
  });
}
