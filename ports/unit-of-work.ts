import type { CategoryRepository } from './category-repository.ts';
import type { FavoriteRepository } from './favorite-repository.ts';
import type { IdempotencyStore } from './idempotency-store.ts';
import type { ImageRepository } from './image-repository.ts';
import type { IndexOutbox } from './index-outbox.ts';
import type { InventoryRepository } from './inventory-repository.ts';
import type { ListingRepository } from './listing-repository.ts';
import type { ProductRepository } from './product-repository.ts';
import type { StorefrontRepository } from './storefront-repository.ts';

/**
 * One database transaction around a use case's writes, so a row, its side rows, its stock movement, its outbox
 * entry and its idempotency record commit together or not at all.
 *
 * Guarantees an adapter must keep:
 * - `work` runs inside one transaction; the repositories of the scope act in it. When `work` resolves, the
 *   transaction commits and `run` resolves with its value; when it throws, the transaction rolls back and `run`
 *   rethrows the same error (an AppError stays as it is; a driver error becomes `INTERNAL` or
 *   `DEPENDENCY_UNAVAILABLE`).
 * - A serialization failure or deadlock detected by the database is retried: `run` may call `work` up to 3 times,
 *   so `work` must not have side effects outside the scope (no cache writes, no HTTP calls) before it returns.
 * - Scopes do not nest: calling `run` inside `work` is a programming error; use {@link TransactionScope.savepoint}.
 * - A scope must not be used after `work` has settled.
 */
export interface UnitOfWork {
  run<T>(work: (tx: TransactionScope) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

export interface TransactionScope {
  readonly listings: ListingRepository;
  readonly products: ProductRepository;
  readonly inventory: InventoryRepository;
  readonly categories: CategoryRepository;
  readonly storefronts: StorefrontRepository;
  readonly favorites: FavoriteRepository;
  readonly images: ImageRepository;
  readonly outbox: IndexOutbox;
  readonly idempotency: IdempotencyStore;

  /**
   * Runs `work` under a savepoint: if it throws, only its changes are rolled back, the transaction stays usable,
   * and the error is rethrown. For per-item results in batches (flaw #27): one failing item does not abort the
   * others.
   */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

export interface TransactionOptions {
  /** Default `read committed`. `repeatable read` gives reindex one consistent snapshot across its reads. */
  readonly isolation?: 'read committed' | 'repeatable read' | 'serializable';
  /** Rejects writes; lets the adapter use a read replica or skip locks. Default false. */
  readonly readOnly?: boolean;
}
