import type { Knex } from 'knex';
import { AppError } from '../../src/domain/errors.ts';

/**
 * Runs `work` while this process holds a PostgreSQL session-level advisory lock, or fails at once with
 * PRECONDITION_FAILED when another session holds it.
 *
 * A session lock belongs to one connection. With a pool of several connections, one is set aside to hold the lock
 * while `work` uses the others (so the pool needs at least two). With a one-connection pool (PGlite, or a pool
 * configured that way) that connection is the session: the lock is taken on it and `work` runs on it too.
 */
export async function withAdvisoryLock<T>(
  knex: Knex,
  key: bigint,
  purpose: string,
  work: () => Promise<T>,
): Promise<T> {
  const client = knex.client as KnexClientInternals;
  const dedicated = (client.config.pool?.max ?? 2) > 1 ? await client.acquireConnection() : undefined;
  const run = (sql: string) => {
    const query = knex.raw(sql, [key.toString()]);
    return dedicated === undefined ? query : query.connection(dedicated);
  };
  try {
    const result = (await run('SELECT pg_try_advisory_lock(?::bigint) AS locked')) as { rows: { locked: boolean }[] };
    if (result.rows[0]?.locked !== true) {
      throw new AppError('PRECONDITION_FAILED', `another ${purpose} run holds the lock`, {
        details: { lockKey: key.toString() },
      });
    }
    try {
      return await work();
    } finally {
      await run('SELECT pg_advisory_unlock(?::bigint)');
    }
  } finally {
    if (dedicated !== undefined) await client.releaseConnection(dedicated);
  }
}

/** The untyped parts of knex's client used here (knex types `knex.client` as `any`). */
interface KnexClientInternals {
  readonly config: { readonly pool?: { readonly max?: number } };
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
}
