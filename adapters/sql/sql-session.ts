import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { TransactionOptions } from '../../ports/unit-of-work.ts';
import { AppError } from '../../src/domain/errors.ts';
import { isRetryableTransactionError, translateDatabaseError } from './error-translation.ts';

/**
 * How every SQL repository reaches the database: through a session, never through knex directly, so that driver
 * errors are translated in one place and a transaction knows when one of its statements failed.
 *
 * - {@link PlainSqlSession}: the plain repositories. Each `query` is one autocommitted statement (or a few, each its
 *   own); each `atomic` is a transaction of its own, retried on serialization failures and deadlocks.
 * - {@link TransactionSqlSession}: the repositories of one `UnitOfWork.run` scope; everything runs in its
 *   transaction, and `atomic` adds nothing.
 */
export interface SqlSession {
  /** Runs statements; a driver error becomes an AppError (error-translation.ts). */
  query<T>(work: (db: Knex) => Promise<T>): Promise<T>;
  /**
   * Runs statements that must see one state and commit together. `readOnly` reads take a repeatable-read snapshot
   * on the plain session (a page and its total agree).
   */
  atomic<T>(work: (db: Knex) => Promise<T>, options?: { readonly readOnly?: boolean }): Promise<T>;
}

export const DEFAULT_MAX_ATTEMPTS = 3;

/** Which knex runs a unit of work in this async context: a plain session of the same knex must not be used there. */
const unitOfWorkContext = new AsyncLocalStorage<{ readonly knex: Knex }>();

/** Runs `work` marked as inside a unit of work of `knex`. */
export function insideUnitOfWork<T>(knex: Knex, work: () => Promise<T>): Promise<T> {
  return unitOfWorkContext.run({ knex }, work);
}

export function activeUnitOfWork(): Knex | undefined {
  return unitOfWorkContext.getStore()?.knex;
}

/**
 * `knex.transaction(body)`, run again (up to `maxAttempts` in all) when the database reports a serialization
 * failure or a deadlock, with a short random pause so the contenders do not collide again. Errors that remain
 * are translated.
 */
export async function runTransaction<T>(
  knex: Knex,
  body: (trx: Knex.Transaction) => Promise<T>,
  options: TransactionOptions & { readonly maxAttempts?: number } = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const config: Knex.TransactionConfig = {
    ...(options.isolation === undefined ? {} : { isolationLevel: options.isolation }),
    ...(options.readOnly === true ? { readOnly: true } : {}),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await knex.transaction(body, config);
    } catch (error) {
      if (attempt < maxAttempts && isRetryableTransactionError(error)) {
        await sleep(Math.floor(Math.random() * 20 * attempt));
        continue;
      }
      throw translateDatabaseError(error);
    }
  }
}

export class PlainSqlSession implements SqlSession {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async query<T>(work: (db: Knex) => Promise<T>): Promise<T> {
    this.#refuseInsideUnitOfWork();
    try {
      return await work(this.#knex);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  atomic<T>(work: (db: Knex) => Promise<T>, options: { readonly readOnly?: boolean } = {}): Promise<T> {
    this.#refuseInsideUnitOfWork();
    const readOnly = options.readOnly === true;
    return runTransaction(this.#knex, work, readOnly ? { isolation: 'repeatable read', readOnly } : {});
  }

  // PGlite has one connection, held by the running unit of work: a plain call would wait for it until the acquire
  // timeout. On PostgreSQL it would run outside the transaction. Either way it is a bug, reported at once.
  #refuseInsideUnitOfWork(): void {
    if (activeUnitOfWork() === this.#knex) {
      throw new AppError('INTERNAL', 'a plain repository was used inside UnitOfWork.run; use the scope repositories');
    }
  }
}

/** Savepoint nesting of the current async context, to tell a nested savepoint from a concurrent one. */
const savepointDepth = new AsyncLocalStorage<number>();

/**
 * The session of one transaction. It remembers the first statement that failed (PostgreSQL then refuses every
 * statement until a rollback, and COMMIT silently rolls back), unless a savepoint rolled that failure back, so
 * that a unit of work whose `work` swallowed the error is not reported as committed.
 */
export class TransactionSqlSession implements SqlSession {
  readonly #trx: Knex.Transaction;
  #depth = 0;
  #savepoints = 0;
  #failure: { readonly error: unknown; readonly depth: number } | undefined;
  #retryable: unknown;
  #closed = false;

  constructor(trx: Knex.Transaction) {
    this.#trx = trx;
  }

  async query<T>(work: (db: Knex) => Promise<T>): Promise<T> {
    if (this.#closed) {
      throw new AppError('INTERNAL', 'a transaction scope was used after its unit of work settled');
    }
    try {
      return await work(this.#trx);
    } catch (error) {
      if (!(error instanceof AppError)) this.#failure ??= { error, depth: this.#depth };
      throw translateDatabaseError(error);
    }
  }

  atomic<T>(work: (db: Knex) => Promise<T>): Promise<T> {
    return this.query(work);
  }

  /** TransactionScope.savepoint: `work`'s statements roll back alone when it throws. Savepoints nest, in sequence. */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    if ((savepointDepth.getStore() ?? 0) !== this.#depth) {
      throw new AppError('INTERNAL', 'savepoints of one transaction must run one after another, not concurrently');
    }
    const name = `listings_sp_${++this.#savepoints}`;
    await this.query((db) => db.raw(`SAVEPOINT ${name}`));
    const depth = ++this.#depth;
    try {
      const value = await savepointDepth.run(depth, work);
      // A statement failed inside and `work` caught it: the savepoint still has to be rolled back.
      if (this.#failure !== undefined && this.#failure.depth >= depth)
        throw translateDatabaseError(this.#failure.error);
      await this.query((db) => db.raw(`RELEASE SAVEPOINT ${name}`));
      return value;
    } catch (error) {
      await this.query((db) => db.raw(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`));
      if (this.#failure !== undefined && this.#failure.depth >= depth) this.#failure = undefined;
      // The database may have let the rest continue, but the transaction's view is no longer serializable.
      if (isRetryableTransactionError(error)) this.#retryable ??= error;
      throw error;
    } finally {
      this.#depth--;
    }
  }

  /** Throws what must stop the commit: a retryable failure (the unit of work retries) or a swallowed one. */
  assertCommittable(): void {
    if (this.#retryable !== undefined) throw this.#retryable;
    if (this.#failure === undefined) return;
    if (isRetryableTransactionError(this.#failure.error)) throw this.#failure.error;
    throw new AppError('INTERNAL', 'the transaction was aborted by a failed statement that work did not rethrow', {
      cause: translateDatabaseError(this.#failure.error),
    });
  }

  close(): void {
    this.#closed = true;
  }
}
