import type { Knex } from 'knex';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { createScope, KnexUnitOfWork } from '../../../adapters/sql/knex-unit-of-work.ts';
import { createPlainRepositories } from '../../../adapters/sql/sql-repositories.ts';
import type { TransactionSqlSession } from '../../../adapters/sql/sql-session.ts';
import type { TransactionScope } from '../../../ports/unit-of-work.ts';
import type { SeedCategory, SeedStorefront, StoreHarness } from '../../contracts/unit-of-work.contract.ts';
import { freshPglite, freshPostgres } from '../../support/databases.ts';

export type SqlTarget = 'postgres' | 'pglite';

/** Both databases every SQL adapter runs on: the real PostgreSQL 15 server and an in-memory PGlite. */
export const SQL_TARGETS: readonly SqlTarget[] = ['postgres', 'pglite'];

export interface SqlHarness extends StoreHarness {
  readonly kind: SqlTarget;
  readonly knex: Knex;
  /** PostgreSQL only: the URL of the fresh database, for tests that open more connections. */
  readonly url: string | undefined;
}

const SQLSTATE = { serialization_failure: '40001', deadlock: '40P01' } as const;

/** A fresh, migrated database with the SQL adapters on it. */
export async function openSqlHarness(kind: SqlTarget): Promise<SqlHarness> {
  const database = kind === 'postgres' ? await freshPostgres('listings_sql') : await freshPglite();
  const { knex } = database;
  await new KnexSchemaMigrator(knex).latest();
  const tables = (
    (await knex.raw(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex\\_%' ORDER BY 1`,
    )) as { rows: { tablename: string }[] }
  ).rows.map((row) => row.tablename);

  // The scope's session, so a test can make the transaction fail like the database does under contention.
  const sessions = new WeakMap<TransactionScope, TransactionSqlSession>();
  const uow = new KnexUnitOfWork(knex, {
    createScope(session) {
      const scope = createScope(session);
      sessions.set(scope, session);
      return scope;
    },
  });

  return {
    kind,
    knex,
    url: database.url,
    uow,
    plain: createPlainRepositories(knex),
    seedCategory: (category) => seedCategory(knex, category),
    seedStorefront: (storefront) => seedStorefront(knex, storefront),
    async failLikeContention(tx, failure) {
      const session = sessions.get(tx);
      if (session === undefined) throw new Error('not a scope of this harness');
      await session.query((db) =>
        db.raw(`DO $$ BEGIN RAISE EXCEPTION 'injected ${failure}' USING ERRCODE = '${SQLSTATE[failure]}'; END $$`),
      );
      throw new Error('the injected failure did not fail');
    },
    async reset() {
      await knex.raw(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`);
    },
    dispose: () => database.dispose(),
  };
}

async function seedCategory(knex: Knex, category: SeedCategory): Promise<number> {
  const parent =
    category.parentId == null
      ? undefined
      : ((await knex('c2c_categories').where({ id: category.parentId }).first('level')) as { level: number });
  const [row] = (await knex('c2c_categories')
    .insert({
      slug: category.slug,
      name: category.name ?? `Category ${category.slug}`,
      parent_id: category.parentId ?? null,
      level: parent === undefined ? 0 : parent.level + 1,
      is_active: category.isActive ?? true,
      sort_order: category.sortOrder ?? 0,
    })
    .returning('id')) as { id: number }[];
  return (row as { id: number }).id;
}

async function seedStorefront(knex: Knex, storefront: SeedStorefront): Promise<number> {
  const [row] = (await knex('storefronts')
    .insert({
      slug: storefront.slug,
      user_id: storefront.userId,
      name: storefront.name ?? `Storefront ${storefront.slug}`,
      city: storefront.city ?? null,
      is_active: storefront.isActive ?? true,
      is_verified: storefront.isVerified ?? false,
      rating: storefront.rating ?? '0',
      products_count: storefront.productsCount ?? 0,
    })
    .returning('id')) as { id: number }[];
  return (row as { id: number }).id;
}
