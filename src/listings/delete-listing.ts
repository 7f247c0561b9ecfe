import type { Clock } from '../../ports/clock.ts';
import type { CoreMetrics } from '../../ports/core-metrics.ts';
import type { Principal } from '../../ports/principal.ts';
import type { UnitOfWork } from '../../ports/unit-of-work.ts';
import { actingUserId, assertAuthenticated, assertListingOwner } from '../domain/access.ts';
import { isSearchable, type Listing } from '../domain/listing.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';
import type { ListingCache } from './listing-cache.ts';
import { checkExpectedVersion, listingNotFound, versionConflict } from './listing-checks.ts';

export interface DeleteListingDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly cache: ListingCache;
  readonly metrics: CoreMetrics;
}

export interface DeleteListingInput {
  readonly id: number;
  /** The original's owner claim: checked against the caller (admins and services may name anyone). */
  readonly userId?: number | null;
  readonly expectedVersion?: number | null;
}

/**
 * DeleteListing: a soft delete by the owner (or an admin or service) that sets `is_deleted` and `deleted_at`
 * together, with a `delete` outbox entry in the same transaction. A missing or already deleted listing is
 * LISTING_NOT_FOUND. Returns the deleted row (drivers answer `success = true`).
 */
export class DeleteListing {
  readonly #deps: DeleteListingDeps;

  constructor(deps: DeleteListingDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: DeleteListingInput): Promise<Listing> {
    assertAuthenticated(caller);
    const v = new Violations();
    const id = checkEntityId(v, 'id', 'listing', input.id);
    const expectedVersion = checkExpectedVersion(v, input.expectedVersion);
    v.throwIfAny();
    if (input.userId != null && input.userId > 0) actingUserId(caller, input.userId);
    const { uow, clock, cache, metrics } = this.#deps;

    const { deleted, wasSearchable } = await uow.run(async (tx) => {
      const current = await tx.listings.findRow(id!, { forUpdate: true });
      if (current === null) throw listingNotFound(id!);
      assertListingOwner(caller, current);
      if (expectedVersion !== null && expectedVersion !== current.version) {
        throw versionConflict(id!, expectedVersion, current.version);
      }
      const row = await tx.listings.softDelete(id!, clock.now(), current.version);
      await tx.outbox.enqueue([{ listingId: id!, version: row.version, operation: 'delete' }]);
      return { deleted: row, wasSearchable: isSearchable(current) };
    });
    await cache.invalidate(id!, { search: wasSearchable });
    metrics.listingWritten('deleted');
    return deleted;
  }
}
