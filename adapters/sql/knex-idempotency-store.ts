import type { IdempotencyKey, IdempotencyStore, Reservation } from '../../ports/idempotency-store.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { SqlSession } from './sql-session.ts';

const DEFAULT_PURGE_LIMIT = 10_000;

interface IdempotencyRow {
  readonly request_hash: string;
  readonly status: 'in_progress' | 'completed';
  readonly response: unknown;
  readonly resource_id: number | null;
}

/**
 * IdempotencyStore on `idempotency_keys` (primary key scope, principal, key). `reserve` is one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE expired`: the primary key makes a concurrent duplicate wait for the first
 * request's transaction and then see its row, so exactly one of them reserves; an expired entry (a crashed request's
 * reservation, or an old response) is taken over in the same statement. Expiry is judged by the database's clock.
 */
export class KnexIdempotencyStore implements IdempotencyStore {
  readonly #session: SqlSession;

  constructor(session: SqlSession) {
    this.#session = session;
  }

  reserve(key: IdempotencyKey, requestHash: string, ttlMs: number): Promise<Reservation> {
    return this.#session.atomic(async (db) => {
      const taken = (await db.raw(
        `INSERT INTO idempotency_keys (scope, principal, key, request_hash, status, expires_at)
         VALUES (?, ?, ?, ?, 'in_progress', now() + ?::double precision * interval '1 millisecond')
         ON CONFLICT (scope, principal, key) DO UPDATE SET
           request_hash = excluded.request_hash, status = 'in_progress', response = NULL, resource_id = NULL,
           created_at = now(), expires_at = excluded.expires_at
         WHERE idempotency_keys.expires_at <= now()
         RETURNING 1`,
        [key.scope, key.principal, key.key, requestHash, Math.max(1, Math.round(ttlMs))],
      )) as { rows: unknown[] };
      if (taken.rows.length > 0) return { state: 'reserved' } as const;

      const row = (await db('idempotency_keys')
        .where({ scope: key.scope, principal: key.principal, key: key.key })
        .first('request_hash', 'status', 'response', 'resource_id')) as IdempotencyRow | undefined;
      if (row === undefined) {
        // Released between the two statements: the caller may simply try again.
        return { state: 'in_progress' } as const;
      }
      if (row.request_hash !== requestHash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'the idempotency key was already used with a different request', {
          details: { scope: key.scope },
        });
      }
      if (row.status === 'completed') {
        return { state: 'completed', response: row.response, resourceId: row.resource_id } as const;
      }
      return { state: 'in_progress' } as const;
    });
  }

  complete(key: IdempotencyKey, response: unknown, resourceId: number | null): Promise<void> {
    return this.#session.query(async (db) => {
      const updated = await db('idempotency_keys')
        .where({ scope: key.scope, principal: key.principal, key: key.key, status: 'in_progress' })
        .update({ status: 'completed', response: JSON.stringify(response ?? null), resource_id: resourceId });
      if (updated === 0) {
        // Expired and taken over, or never reserved: storing this response would answer someone else's request.
        throw new AppError('INTERNAL', 'the idempotency key is not reserved by this request', {
          details: { scope: key.scope },
        });
      }
    });
  }

  release(key: IdempotencyKey): Promise<void> {
    return this.#session.query(async (db) => {
      await db('idempotency_keys')
        .where({ scope: key.scope, principal: key.principal, key: key.key, status: 'in_progress' })
        .delete();
    });
  }

  purgeExpired(limit = DEFAULT_PURGE_LIMIT): Promise<number> {
    return this.#session.query(async (db) => {
      const result = (await db.raw(
        `DELETE FROM idempotency_keys WHERE (scope, principal, key) IN (
           SELECT scope, principal, key FROM idempotency_keys WHERE expires_at <= now() ORDER BY expires_at LIMIT ?)
         RETURNING 1`,
        [Math.max(1, limit)],
      )) as { rows: unknown[] };
      return result.rows.length;
    });
  }
}
