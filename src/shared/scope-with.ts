import type { TransactionScope } from '../../ports/unit-of-work.ts';

/**
 * `tx` with some of its parts replaced (an outbox that records enqueues, a repository that fails on cue), everything
 * else, `savepoint` included, still the transaction's own. Listed member by member rather than spread: an adapter's
 * scope may keep its members on a prototype, which a spread would drop.
 */
export function scopeWith(tx: TransactionScope, overrides: Partial<TransactionScope>): TransactionScope {
  return {
    listings: tx.listings,
    products: tx.products,
    inventory: tx.inventory,
    categories: tx.categories,
    storefronts: tx.storefronts,
    favorites: tx.favorites,
    images: tx.images,
    outbox: tx.outbox,
    idempotency: tx.idempotency,
    savepoint: (work) => tx.savepoint(work),
    ...overrides,
  };
}
