import knex, { type Knex } from 'knex';
import { postgresTypes } from './type-parsers.ts';

/** How to reach and pool a PostgreSQL server. */
export interface PostgresSettings {
  /** `postgres://user:password@host:port/database?sslmode=...`. */
  readonly url: string;
  /** Connections kept open when idle. Default 0. */
  readonly poolMin?: number;
  /** Most connections at once (the original's DB_MAX_OPEN_CONNS). Default 25. */
  readonly poolMax?: number;
  /** An idle connection above `poolMin` is closed after this long, in ms. Default 600 000 (10 min). */
  readonly idleTimeoutMs?: number;
  /** How long a query waits for a free connection before failing, in ms. Default 10 000. */
  readonly acquireTimeoutMs?: number;
  /** Server-side `statement_timeout` of every connection, in ms; 0 = none. Default 0. */
  readonly statementTimeoutMs?: number;
  /** `application_name`, visible in `pg_stat_activity`. Default `listings`. */
  readonly applicationName?: string;
  /**
   * Where knex's own warnings go (`Connection Error: ...` when the server drops a pooled connection, `Acquire
   * connection error` while it refuses new ones). Default: knex's, which is `console.log`, unstructured, on stdout.
   */
  readonly warn?: (message: string) => void;
}

/**
 * A pooled knex on node-postgres.
 *
 * Every connection runs with `TimeZone=UTC` and the shared value parsers (adapters/sql/value-parsers.ts), so rows
 * read the same as on PGlite. A single query can still override the timeout with `SET LOCAL statement_timeout`
 * inside its transaction. The caller owns the instance: `await db.destroy()` closes the pool.
 */
export function createPostgresKnex(settings: PostgresSettings): Knex {
  const statementTimeout = settings.statementTimeoutMs ?? 0;
  return knex({
    client: 'pg',
    connection: {
      connectionString: settings.url,
      application_name: settings.applicationName ?? 'listings',
      options: '-c TimeZone=UTC',
      ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
      types: postgresTypes,
    } as Knex.PgConnectionConfig,
    pool: {
      min: settings.poolMin ?? 0,
      max: settings.poolMax ?? 25,
      idleTimeoutMillis: settings.idleTimeoutMs ?? 600_000,
    },
    acquireConnectionTimeout: settings.acquireTimeoutMs ?? 10_000,
    ...(settings.warn
      ? { log: { warn: settings.warn, error: settings.warn, deprecate: settings.warn, debug: () => {} } }
      : {}),
  });
}
