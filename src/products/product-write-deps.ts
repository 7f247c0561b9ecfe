import type { Clock } from '../../ports/clock.ts';
import type { UnitOfWork } from '../../ports/unit-of-work.ts';
import type { CacheInvalidationDeps } from './cache-invalidation.ts';

/**
 * What every product, variant and stock write needs: one transaction for the row, its movement and its outbox
 * entry (flaw #12), the clock, metrics, and the caches it invalidates after the commit (flaw #14).
 */
export interface ProductWriteDeps extends CacheInvalidationDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
}
