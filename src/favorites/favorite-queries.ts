import type { FavoriteRepository } from '../../ports/favorite-repository.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { Principal } from '../../ports/principal.ts';
import { actingUserId, assertAuthenticated, assertListingOwner } from '../domain/access.ts';
import { favoritesLimit } from '../domain/pagination.ts';
import { Violations } from '../domain/validation.ts';
import { listingNotFound } from '../listings/listing-checks.ts';
import { requireId } from '../shared/require-id.ts';

export interface FavoriteQueriesDeps {
  readonly favorites: FavoriteRepository;
  readonly listings: ListingRepository;
}

export interface UserFavoritesInput {
  /** Unset/0 = the caller; admins and services may name anyone. */
  readonly userId?: number | null;
  /** ≤ 0 or unset → 20; > 100 → 100. */
  readonly limit?: number | null;
  readonly offset?: number | null;
}

export interface UserFavoritesResult {
  readonly listingIds: readonly number[];
  /** All of the user's favorites, not only this page (the original counted the ids returned). */
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/**
 * GetUserFavorites (paged: flaw #30), IsFavorite and GetFavoritedUsers. A user reads their own favorites; who
 * favorited a listing is for its owner (and admins and services) only.
 */
export class FavoriteQueries {
  readonly #deps: FavoriteQueriesDeps;

  constructor(deps: FavoriteQueriesDeps) {
    this.#deps = deps;
  }

  /** The user's favorite listing ids, newest first. */
  async userFavorites(caller: Principal | undefined, input: UserFavoritesInput): Promise<UserFavoritesResult> {
    const userId = actingUserId(caller, input.userId);
    const offset = input.offset ?? 0;
    const v = new Violations();
    if (!Number.isSafeInteger(offset) || offset < 0) v.add('offset', 'negative', 'offset cannot be negative');
    v.throwIfAny();
    const limit = favoritesLimit(input.limit);
    const page = await this.#deps.favorites.listListingIds(userId, { limit, offset });
    return { listingIds: page.ids, total: page.total, limit, offset };
  }

  async isFavorite(
    caller: Principal | undefined,
    input: { readonly userId?: number | null; readonly listingId: number },
  ): Promise<boolean> {
    const userId = actingUserId(caller, input.userId);
    const listingId = requireId('listing_id', 'listing', input.listingId);
    return this.#deps.favorites.exists(userId, listingId);
  }

  /** The users who favorited the listing, ascending. */
  async favoritedUsers(caller: Principal | undefined, input: { readonly listingId: number }): Promise<number[]> {
    assertAuthenticated(caller);
    const listingId = requireId('listing_id', 'listing', input.listingId);
    const listing = await this.#deps.listings.findRow(listingId);
    if (listing === null) throw listingNotFound(listingId);
    assertListingOwner(caller, listing);
    return this.#deps.favorites.listUserIds(listingId);
  }
}
