import { describe, expect, it } from 'vitest';
import { createPostgresKnex } from '../../../adapters/postgres/postgres-knex.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { KnexProductRepository } from '../../../adapters/sql/product-repository.ts';
import { AppError } from '../../../src/domain/errors.ts';
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

describe('ProductRepository without a database', () => {
  it('reports an unreachable PostgreSQL as DEPENDENCY_UNAVAILABLE, not as a driver error', async () => {
    const knex = createPostgresKnex({
      url: 'postgres://listings:listings@127.0.0.1:1/listings',
      acquireTimeoutMs: 2000,
    });
    try {
      const error = await new KnexProductRepository(knex).findById(1).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    } finally {
      await knex.destroy();
    }
  });

  it('reports a call on a closed database as an AppError, not as a driver error', async () => {
    const db = await freshPglite();
    await db.dispose();
    const error = await new KnexProductRepository(db.knex).stats(1).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(AppError);
  });
});
