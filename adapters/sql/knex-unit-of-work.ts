import type { Knex } from 'knex';
import type { TransactionOptions, TransactionScope, UnitOfWork } from '../../ports/unit-of-work.ts';
import { AppError } from '../../src/domain/errors.ts';
import { createSqlRepositories } from './sql-repositories.ts';
import {
  activeUnitOfWork,
  DEFAULT_MAX_ATTEMPTS,
  insideUnitOfWork,
  runTransaction,
  TransactionSqlSession,
} from './sql-session.ts';

/** Builds the scope handed to `work`: every repository bound to the transaction's session, and its savepoints. */
export type ScopeFactory = (session: TransactionSqlSession) => TransactionScope;

export function createScope(session: TransactionSqlSession): TransactionScope {
  return { ...createSqlRepositories(session), savepoint: (work) => session.savepoint(work) };
}

export interface KnexUnitOfWorkOptions {
  /** Runs of `work` in all when the database reports serialization failures or deadlocks. Default 3. */
  readonly maxAttempts?: number;
  /** Default {@link createScope}; tests wrap it to reach the transaction. */
  readonly createScope?: ScopeFactory;
}

/**
 * UnitOfWork on knex transactions (PostgreSQL and PGlite).
 *
 * - `work` runs in `knex.transaction`; a serialization failure (40001) or deadlock (40P01), thrown or swallowed by
 *   `work`, rolls back and runs `work` again, up to `maxAttempts` times in all.
 * - A statement that failed while `work` went on (caught without a savepoint) makes `run` roll back and reject with
 *   INTERNAL: PostgreSQL would have turned the COMMIT into a silent ROLLBACK.
 * - `run` inside `work` is refused (INTERNAL): scopes do not nest, and on PGlite the inner run would wait forever
 *   for the one connection the outer run holds. So is a plain repository of the same knex (sql-session.ts).
 * - A scope used after `work` settled rejects with INTERNAL.
 */
export class KnexUnitOfWork implements UnitOfWork {
  readonly #knex: Knex;
  readonly #maxAttempts: number;
  readonly #createScope: ScopeFactory;

  constructor(knex: Knex, options: KnexUnitOfWorkOptions = {}) {
    this.#knex = knex;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.#createScope = options.createScope ?? createScope;
  }

  run<T>(work: (tx: TransactionScope) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (activeUnitOfWork() !== undefined) {
      return Promise.reject(
        new AppError(
          'INTERNAL',
          'UnitOfWork.run was called inside another unit of work; use TransactionScope.savepoint',
        ),
      );
    }
    return runTransaction(
      this.#knex,
      async (trx) => {
        const session = new TransactionSqlSession(trx);
        try {
          const value = await insideUnitOfWork(this.#knex, () => work(this.#createScope(session)));
          session.assertCommittable();
          return value;
        } finally {
          session.close();
        }
      },
      { ...options, maxAttempts: this.#maxAttempts },
    );
  }
}
