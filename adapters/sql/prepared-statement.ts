import type { Knex } from 'knex';
import { isLostConnection } from './error-translation.ts';

/**
 * A statement run straight on a connection of knex's own pool, below knex's query builder and runner: for the hot
 * reads whose knex overhead cost more than their round trip (bench/get-by-id.bench.ts: Raw building, two regular
 * expression passes and a copy of the SQL text per call, the runner and its builder events, the promise interface).
 *
 * One code path for PostgreSQL and PGlite: the connection comes from `db.client`'s pool and the statement goes to
 * the dialect's `_query` (node-postgres or PGlite). Knex's `query`, `query-response` and `query-error` events are
 * emitted as knex's runner emits them, so database metrics (adapters/composition/database-metrics.ts) still time
 * it. Inside a transaction (`db` is a `Knex.Transaction`), the statement goes through the transaction client's
 * `query` instead, which refuses to run once the transaction completed, exactly as any knex query would.
 *
 * The text uses PostgreSQL's positional parameters (`$1`) and is sent as written. node-postgres parses a named
 * statement once per connection and then only binds and executes it; PGlite ignores the name.
 */
export interface PreparedStatement {
  /** Unique per text: PostgreSQL refuses a second, different statement under a name already prepared. */
  readonly name: string;
  readonly text: string;
  /**
   * A read: outside a transaction, sent once more on another connection when its connection is lost before the
   * answer (a backend killed, a failover), so the caller sees an answer instead of DEPENDENCY_UNAVAILABLE. Never on
   * a write: the server may have run it.
   */
  readonly read?: boolean;
}

/** The part of knex's (untyped) client this uses; the same on knex's PostgreSQL client, PGlite's and a trx's. */
interface KnexClient {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<void>;
  /** What knex's runner calls: positions `?` bindings, emits `query` and `query-error`, then `_query`. */
  query(connection: Connection, query: QueryObject): Promise<QueryObject>;
  /** The dialect's driver call. */
  _query(connection: Connection, query: QueryObject): Promise<QueryObject>;
  emit(event: string, ...args: unknown[]): boolean;
}

interface Connection {
  readonly __knexUid?: string;
  readonly __knexTxId?: string;
  /** Set by knex's PostgreSQL client when the connection ends; a disposed connection is destroyed, not lent again. */
  __knex__disposed?: unknown;
}

interface QueryObject {
  __knexUid?: string | undefined;
  __knexTxId?: string | undefined;
  sql: string;
  bindings: readonly unknown[];
  options: { readonly name: string };
  method: 'raw';
  __knexQueryUid: string;
  response?: { readonly rows: unknown[] };
}

let sequence = 0;

/** What knex's listeners receive: the query with the connection's ids, as the runner builds it. */
function described(query: QueryObject, connection: Connection): QueryObject {
  return { ...query, __knexUid: connection.__knexUid, __knexTxId: connection.__knexTxId };
}

/**
 * The client always has listeners (knex forwards its events to the knex object), so whether anyone listens is asked
 * of `db`: with nobody there, the listeners' copy of the query is not built at all.
 */
function emitDescribed(db: Knex, event: string, query: QueryObject, connection: Connection, ...args: unknown[]) {
  if (db.listenerCount(event) > 0) (db.client as KnexClient).emit(event, ...args, described(query, connection));
}

async function send(db: Knex, connection: Connection, query: QueryObject): Promise<QueryObject> {
  emitDescribed(db, 'query', query, connection);
  try {
    return await (db.client as KnexClient)._query(connection, query);
  } catch (error) {
    emitDescribed(db, 'query-error', query, connection, error);
    throw error;
  }
}

/** The rows of `statement` run with `values` (bound as knex binds them: the driver's own value preparation). */
export async function runPrepared<Row>(
  db: Knex,
  statement: PreparedStatement,
  values: readonly unknown[],
): Promise<Row[]> {
  try {
    return await runOnce<Row>(db, statement, values);
  } catch (error) {
    if (statement.read !== true || db.isTransaction === true || !isLostConnection(error)) throw error;
    return runOnce<Row>(db, statement, values);
  }
}

async function runOnce<Row>(db: Knex, statement: PreparedStatement, values: readonly unknown[]): Promise<Row[]> {
  const client = db.client as KnexClient;
  const connection = await client.acquireConnection();
  try {
    const query: QueryObject = {
      sql: statement.text,
      bindings: values,
      options: { name: statement.name },
      method: 'raw',
      // Listeners pair `query` with `query-response` by this id; knex gives every query its own.
      __knexQueryUid: `${statement.name}:${++sequence}`,
    };
    const { response } =
      db.isTransaction === true ? await client.query(connection, query) : await send(db, connection, query);
    emitDescribed(db, 'query-response', query, connection, response);
    return (response?.rows ?? []) as Row[];
  } catch (error) {
    // The socket's `end` may come after this rejection: without the mark, the pool could lend it out again at once.
    if (isLostConnection(error) && connection.__knex__disposed === undefined) connection.__knex__disposed = error;
    throw error;
  } finally {
    await client.releaseConnection(connection);
  }
}
