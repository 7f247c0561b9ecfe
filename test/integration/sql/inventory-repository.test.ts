import { createPostgresKnex } from '../../../adapters/postgres/postgres-knex.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { describeInventoryRepositoryContract } from '../../contracts/inventory-repository.contract.ts';
import type { ContractDatabase } from '../../contracts/product-repository.contract.ts';
import { freshPglite, freshPostgres, type TestDatabase } from '../../support/databases.ts';

async function migrated(db: TestDatabase): Promise<TestDatabase> {
  await new KnexSchemaMigrator(db.knex).latest();
  return db;
}

/** A fresh PostgreSQL 15 database, with a second, wide pool for the concurrent writers. */
async function postgres(): Promise<ContractDatabase> {
  const db = await migrated(await freshPostgres('listings_inventory'));
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

describeInventoryRepositoryContract('PostgreSQL 15', postgres);
describeInventoryRepositoryContract('PGlite', async () => migrated(await freshPglite()));
