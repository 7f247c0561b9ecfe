import type { Clock } from '../../ports/clock.ts';
import type { Principal } from '../../ports/principal.ts';
import type { UnitOfWork } from '../../ports/unit-of-work.ts';
import { actingUserId } from '../domain/access.ts';
import { isSearchable } from '../domain/listing.ts';
import type { ListingCache } from '../listings/listing-cache.ts';
import { listingNotFound } from '../listings/listing-checks.ts';
import { canView } from '../listings/listing-visibility.ts';
import { requireId } from '../shared/require-id.ts';

export interface ChangeFavoriteDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly cache: ListingCache;
}

export interface FavoriteInput {
  /** The user whose favorite it is: the caller; admins and services may name anyone. Unset/0 = the caller. */
  readonly userId?: number | null;
  readonly listingId: number;
}

/**
 * AddToFavorites and RemoveFromFavorites, both idempotent. The repository keeps `listings.favorites_count` in step
 * in the same transaction; since the count is indexed, a real change also enqueues an `update` for the listing and
 * invalidates its cache entry after the commit. A favorite can only be added to a live listing the caller can see
 * (otherwise LISTING_NOT_FOUND); it can always be removed.
 */
export class ChangeFavorite {
  readonly #deps: ChangeFavoriteDeps;

  constructor(deps: ChangeFavoriteDeps) {
    this.#deps = deps;
  }

  /** `added` is false when it already was a favorite. */
  async add(caller: Principal | undefined, input: FavoriteInput): Promise<{ readonly added: boolean }> {
    const userId = actingUserId(caller, input.userId);
    const listingId = requireId('listing_id', 'listing', input.listingId);
    const { uow, clock, cache } = this.#deps;
    const { added, searchable } = await uow.run(async (tx) => {
      const listing = await tx.listings.findRow(listingId);
      if (listing === null || !canView(caller, listing)) throw listingNotFound(listingId);
      const inserted = await tx.favorites.add(userId, listingId, clock.now());
      if (inserted) await tx.outbox.enqueue([{ listingId, version: listing.version, operation: 'update' }]);
      return { added: inserted, searchable: isSearchable(listing) };
    });
    if (added) await cache.invalidate(listingId, { search: searchable });
    return { added };
  }

  /** `removed` is false when it was not a favorite. */
  async remove(caller: Principal | undefined, input: FavoriteInput): Promise<{ readonly removed: boolean }> {
    const userId = actingUserId(caller, input.userId);
    const listingId = requireId('listing_id', 'listing', input.listingId);
    const { uow, cache } = this.#deps;
    const { removed, searchable } = await uow.run(async (tx) => {
      const deleted = await tx.favorites.remove(userId, listingId);
      if (!deleted) return { removed: false, searchable: false };
      const listing = await tx.listings.findRow(listingId);
      // A deleted listing is out of the index already; only a live one needs its new count there.
      if (listing !== null) await tx.outbox.enqueue([{ listingId, version: listing.version, operation: 'update' }]);
      return { removed: true, searchable: listing !== null && isSearchable(listing) };
    });
    if (removed) await cache.invalidate(listingId, { search: searchable });
    return { removed };
  }
}
