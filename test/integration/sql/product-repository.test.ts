import { createPostgresKnex } from '../../../adapters/postgres/postgres-knex.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import {
  type ContractDatabase,
  describeProductRepositoryContract,
} from '../../contracts/product-repository.contract.ts';
import { freshPglite, freshPostgres, type TestDatabase } from '../../support/databases.ts';

async function migrated(db: TestDatabase): Promise<TestDatabase> {
  await new KnexSchemaMigrator(db.knex).latest();
  return db;
}

/** A fresh PostgreSQL 15 database, with a second, wide pool for the concurrent writers. */
async function postgres(): Promise<ContractDatabase> {
  const db = await migrated(await freshPostgres('listings_products'));
  const wideKnex = createPostgresKnex({ url: db.url as string, poolMax: 50 });
  return {
    knex: db.knex,
    wideKnex,
    async dispose() {
      await wideKnex.destroy();
      await db.dispose();
    },
  };
}

describeProductRepositoryContract('PostgreSQL 15', postgres);
describeProductRepositoryContract('PGlite', async () => migrated(await freshPglite()));
