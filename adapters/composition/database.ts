import { resolve } from 'node:path';
import type { Knex } from 'knex';
import type { DependencyCheck } from '../../ports/health-check.ts';
import type { Logger } from '../../ports/logger.ts';
import { AppError, isAppError } from '../../src/domain/errors.ts';
import type { Config, DatabaseConfig } from '../config/config.ts';
import { createPgliteKnex } from '../pglite/pglite-knex.ts';
import { createPostgresKnex } from '../postgres/postgres-knex.ts';
import { KnexSchemaMigrator } from '../sql/knex-schema-migrator.ts';
import { DATA_DIR_SETTING, ensureFolder } from './data-folder.ts';

export interface Database {
  readonly knex: Knex;
  readonly driver: DatabaseConfig['driver'];
  /** Where it is, for logs: a URL without its password, or the PGlite folder. */
  readonly location: string;
  readonly migrator: KnexSchemaMigrator;
  readonly check: DependencyCheck;
  close(): Promise<void>;
}

/** The PostgreSQL URL of the config: `DB_URL` when set, else built from the original's DB_* variables. */
export function postgresUrl(database: DatabaseConfig): string {
  if (database.url !== '') return database.url;
  const user = encodeURIComponent(database.user);
  const password = encodeURIComponent(database.password);
  return `postgres://${user}:${password}@${database.host}:${database.port}/${encodeURIComponent(database.name)}?sslmode=${database.sslMode}`;
}

function withoutPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:<redacted>@');
}

/**
 * Opens the configured database: a PostgreSQL pool, or the embedded PGlite in `DATA_DIR/pglite`.
 * A server that cannot be reached becomes DEPENDENCY_UNAVAILABLE (exit 3 at the CLI). With `logger`, the pool's
 * connection warnings are log lines of it (first line only: knex appends the driver's stack) rather than knex's
 * console output.
 */
export async function openDatabase(config: Config, logger?: Pick<Logger, 'warn'>): Promise<Database> {
  const { database } = config;
  let knex: Knex;
  let location: string;
  if (database.driver === 'postgres') {
    const url = postgresUrl(database);
    location = withoutPassword(url);
    knex = createPostgresKnex({
      url,
      poolMin: Math.min(database.maxIdleConns, 2),
      poolMax: database.maxOpenConns,
      idleTimeoutMs: database.connMaxIdleTimeMs,
      acquireTimeoutMs: 10_000,
      applicationName: 'listings',
      ...(logger
        ? { warn: (message: string) => logger.warn({ component: 'database' }, message.split('\n', 1)[0] ?? message) }
        : {}),
    });
    try {
      await knex.raw('select 1');
    } catch (error) {
      await knex.destroy();
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        `cannot reach PostgreSQL at ${location}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  } else {
    const dataDir = resolve(config.dataDir, 'pglite');
    ensureFolder(dataDir, DATA_DIR_SETTING);
    location = dataDir;
    try {
      knex = await createPgliteKnex({ dataDir });
    } catch (error) {
      if (isAppError(error)) throw error; // the lock's refusal names the process holding the directory
      throw new AppError(
        'PRECONDITION_FAILED',
        `cannot open the embedded database in ${dataDir}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  return {
    knex,
    driver: database.driver,
    location,
    migrator: new KnexSchemaMigrator(knex),
    check: {
      name: 'database',
      critical: true,
      async check() {
        await knex.raw('select 1');
      },
    },
    close: () => knex.destroy(),
  };
}
