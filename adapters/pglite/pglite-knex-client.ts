import { createRequire } from 'node:module';
import type { Readable, Writable } from 'node:stream';
import type { PGlite, Results } from '@electric-sql/pglite';
import type { Knex } from 'knex';

/**
 * A knex dialect over one PGlite instance: knex's own PostgreSQL client (query compiler, schema builder,
 * transactions, migrator) with the wire calls replaced by PGlite calls.
 *
 * Why not the `knex-pglite` package: it sends every statement through PGlite's extended protocol, so a raw
 * multi-statement script (migrations, triggers) fails on PGlite while it runs on PostgreSQL; it maps `del()` and
 * `increment()` results by method name and so returns a result object instead of the affected-row count; it
 * closes the database whenever knex's pool drops the connection; and it binds values PGlite's way instead of
 * node-postgres's. This file is ~120 lines we can read and test against the PostgreSQL behaviour.
 *
 * Guarantees:
 * - PGlite has exactly one session, so the pool has exactly one connection: statements and transactions are
 *   serialized by knex. Inside `knex.transaction(trx => ...)`, a query on `knex` instead of `trx` waits for the
 *   transaction's connection and fails after `acquireConnectionTimeout`.
 * - Bindings are prepared with node-postgres's own `prepareValue` (dates, arrays, objects → text), so the same
 *   value binds the same way on both databases; byte arrays stay binary.
 * - A statement without bindings runs through the simple protocol (`exec`), as node-postgres does, so several
 *   statements may be sent at once; a raw multi-statement call then returns an array of results, like `pg`.
 * - `knex.destroy()` closes the PGlite instance (the pool never does on its own).
 * - Query cancelling (`.timeout(ms, { cancel: true })`) is not supported: PGlite runs in this thread.
 */

const require = createRequire(import.meta.url);

interface QueryObject {
  sql: string;
  bindings?: readonly unknown[];
  options?: Record<string, unknown>;
  response?: unknown;
  method?: string;
}

/** The part of knex's (untyped) PostgreSQL client this dialect builds on. */
interface KnexPgClient {
  config: PgliteKnexConfig;
  version?: string;
  searchPath?: string | readonly string[];
  driver: unknown;
  _parseVersion(versionString: string): string;
  processResponse(obj: QueryObject, runner: unknown): unknown;
  destroy(callback?: (error?: unknown) => void): Promise<void>;
}

const KnexPgClient = require('knex/lib/dialects/postgres/index.js') as new (config: Knex.Config) => KnexPgClient;
const { prepareValue } = require('pg/lib/utils.js') as { prepareValue: (value: unknown) => unknown };

export interface PgliteKnexConfig extends Knex.Config {
  /** The database every query runs on; it must already be created (`PGlite.create`). */
  readonly pglite: PGlite;
  /** Called once PGlite is closed by `destroy` (releases the data directory's lock). */
  readonly onClose?: () => Promise<void> | undefined;
}

/** The pool's one "connection": a handle on the shared PGlite, so knex can never flag or close PGlite itself. */
interface PgliteConnection {
  readonly pglite: PGlite;
  __knexUid?: string;
}

function prepareBinding(value: unknown): unknown {
  return value instanceof Uint8Array ? value : prepareValue(value);
}

export class PgliteKnexClient extends KnexPgClient {
  constructor(config: PgliteKnexConfig) {
    if (config.pool && (config.pool.max !== 1 || (config.pool.min ?? 1) !== 1)) {
      throw new Error('PGlite has one session: the knex pool is always { min: 1, max: 1 }');
    }
    // `connection` must be set for knex to build its pool; the real handle is `config.pglite`.
    super({ ...config, connection: {}, pool: { min: 1, max: 1 } });
  }

  _driver(): unknown {
    return this.config.pglite;
  }

  async acquireRawConnection(): Promise<PgliteConnection> {
    const pglite = this.config.pglite;
    await pglite.waitReady;
    if (!this.version) {
      const result = await pglite.query<{ version: string }>('select version()');
      this.version = this._parseVersion(result.rows[0]?.version ?? 'PostgreSQL 0');
    }
    await this.setSchemaSearchPath({ pglite });
    return { pglite };
  }

  async destroyRawConnection(_connection: PgliteConnection): Promise<void> {
    // The handle owns nothing; PGlite closes with the client (destroy).
  }

  validateConnection(_connection: PgliteConnection): boolean {
    return !this.config.pglite.closed;
  }

  async setSchemaSearchPath(connection: PgliteConnection, searchPath?: string | readonly string[]): Promise<boolean> {
    const path = searchPath ?? this.searchPath;
    if (!path) return true;
    const schemas = typeof path === 'string' ? [path] : path;
    const quoted = schemas.map((schema) => `"${schema.replace(/"/g, '""')}"`).join(',');
    await connection.pglite.exec(`set search_path to ${quoted}`);
    return true;
  }

  async _query(connection: PgliteConnection, obj: QueryObject): Promise<QueryObject> {
    if (!obj.sql) throw new Error('The query is empty');
    const bindings = obj.bindings ?? [];
    const options = obj.options ?? {};
    if (bindings.length === 0) {
      const results = await connection.pglite.exec(obj.sql, options);
      obj.response = results.length === 1 ? results[0] : results;
    } else {
      obj.response = await connection.pglite.query(obj.sql, bindings.map(prepareBinding), options);
    }
    return obj;
  }

  async _stream(connection: PgliteConnection, obj: QueryObject, stream: Writable & Partial<Readable>): Promise<void> {
    // PGlite has no cursor over the wire protocol here: the rows are read at once, then written one by one.
    try {
      const { response } = await this._query(connection, obj);
      for (const row of (response as Results).rows) stream.write(row);
      stream.end();
    } catch (error) {
      stream.emit('error', error);
      throw error;
    }
  }

  async cancelQuery(): Promise<never> {
    throw new Error('Query cancelling is not supported on PGlite');
  }

  override async destroy(callback?: (error?: unknown) => void): Promise<void> {
    await super.destroy();
    try {
      if (!this.config.pglite.closed) await this.config.pglite.close();
      await this.config.onClose?.();
      callback?.();
    } catch (error) {
      if (callback) callback(error);
      else throw error;
    }
  }
}

Object.assign(PgliteKnexClient.prototype, { driverName: 'pglite', canCancelQuery: false });
