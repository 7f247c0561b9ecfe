import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import pg from 'pg';
import { createPgliteKnex } from '../../adapters/pglite/pglite-knex.ts';
import { createPostgresKnex } from '../../adapters/postgres/postgres-knex.ts';
import { postgresUrl } from './servers.ts';

/** A database the migration tests own: created empty, dropped (or deleted) by `dispose`. */
export interface TestDatabase {
  readonly kind: 'postgres' | 'pglite';
  readonly knex: Knex;
  /** For PostgreSQL: the URL of the fresh database. */
  readonly url?: string;
  dispose(): Promise<void>;
}

function urlWithDatabase(name: string): string {
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh `listings_mig_<random>` database on the real PostgreSQL 15, dropped by `dispose`. */
export async function freshPostgres(prefix = 'listings_mig'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = urlWithDatabase(name);
  const knex = createPostgresKnex({ url, poolMax: 4 });
  return {
    kind: 'postgres',
    knex,
    url,
    async dispose() {
      await knex.destroy();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** An in-memory PGlite. */
export async function freshPglite(): Promise<TestDatabase> {
  const knex = await createPgliteKnex({ dataDir: 'memory://' });
  return { kind: 'pglite', knex, dispose: () => knex.destroy() };
}

/** A temporary directory removed by the returned function. */
export async function temporaryDirectory(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export const TARGETS = [
  { kind: 'postgres', open: () => freshPostgres() },
  { kind: 'pglite', open: () => freshPglite() },
] as const;
