import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexSchemaMigrator, SCHEMA_MIGRATION_LOCK_KEY } from '../../../adapters/sql/knex-schema-migrator.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { freshPglite, freshPostgres, type TestDatabase } from '../../support/databases.ts';
import { MIGRATION_FILES } from '../../support/migration-files.ts';

describe('the migration lock on PostgreSQL', () => {
  let db: TestDatabase;
  let other: pg.Client;
  let migrator: KnexSchemaMigrator;

  beforeAll(async () => {
    db = await freshPostgres();
    migrator = new KnexSchemaMigrator(db.knex);
    other = new pg.Client({ connectionString: db.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await db?.dispose();
  });

  const holdLock = () => other.query('SELECT pg_advisory_lock($1::bigint)', [SCHEMA_MIGRATION_LOCK_KEY.toString()]);
  const releaseLock = () =>
    other.query('SELECT pg_advisory_unlock($1::bigint)', [SCHEMA_MIGRATION_LOCK_KEY.toString()]);

  it('refuses to migrate while another session holds the lock, and changes nothing', async () => {
    await holdLock();
    try {
      const error = await migrator.latest().catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', message: 'another migration run holds the lock' });
      await expect(migrator.rollback({ all: true })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
      await expect(migrator.status()).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
      const { rows } = await other.query(`SELECT to_regclass('public.listings') AS listings`);
      expect(rows[0].listings).toBeNull();
    } finally {
      await releaseLock();
    }
  });

  it('migrates once the lock is free, and releases it afterwards', async () => {
    expect((await migrator.latest()).names).toHaveLength(MIGRATION_FILES.length);
    const { rows } = await other.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
      SCHEMA_MIGRATION_LOCK_KEY.toString(),
    ]);
    expect(rows[0].locked).toBe(true);
    await releaseLock();
  });

  it('lets only one of two concurrent runs migrate', async () => {
    await migrator.rollback({ all: true });
    const second = await freshPostgresMigratorOn(db.url as string);
    try {
      const outcomes = await Promise.allSettled([migrator.latest(), second.migrator.latest()]);
      const applied = outcomes.flatMap((outcome) =>
        outcome.status === 'fulfilled' ? [outcome.value.names.length] : [],
      );
      const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      // Either the runs overlapped (one refused) or ran one after the other (the second found nothing to do).
      expect(applied.reduce((sum, count) => sum + count, 0)).toBe(MIGRATION_FILES.length);
      for (const reason of refused) expect(reason).toMatchObject({ code: 'PRECONDITION_FAILED' });
      expect((await migrator.status()).pending).toEqual([]);
    } finally {
      await second.close();
    }
  });
});

describe('the migration lock on PGlite (one session)', () => {
  it('is taken and released on the single connection without deadlocking the run', async () => {
    const db = await freshPglite();
    try {
      const migrator = new KnexSchemaMigrator(db.knex);
      expect((await migrator.latest()).names).toHaveLength(MIGRATION_FILES.length);
      const { rows } = (await db.knex.raw(`SELECT count(*) AS held FROM pg_locks WHERE locktype = 'advisory'`)) as {
        rows: { held: number }[];
      };
      expect(rows[0]?.held).toBe(0);
    } finally {
      await db.dispose();
    }
  });
});

async function freshPostgresMigratorOn(url: string) {
  const { createPostgresKnex } = await import('../../../adapters/postgres/postgres-knex.ts');
  const knex = createPostgresKnex({ url, poolMax: 3 });
  return { migrator: new KnexSchemaMigrator(knex), close: () => knex.destroy() };
}
