import type { OffsetPage } from '../src/domain/pagination.ts';

/**
 * Favorites (`c2c_favorites`): AddToFavorites, RemoveFromFavorites, IsFavorite, GetUserFavorites,
 * GetFavoritedUsers.
 *
 * Guarantees an adapter must keep:
 * - Add and remove are idempotent and concurrency-safe (a concurrent duplicate add is not an error).
 * - `listings.favorites_count` follows the rows: +1 when {@link add} really inserts, −1 when {@link remove} really
 *   deletes (never below 0), in the same transaction. The counter update keeps the listing's `version`.
 */
export interface FavoriteRepository {
  /**
   * Marks `listingId` as a favorite of `userId` at `at`. Returns true when a row was inserted, false when it was
   * already there. The listing must be live, else `LISTING_NOT_FOUND`.
   */
  add(userId: number, listingId: number, at: Date): Promise<boolean>;

  /** Returns true when a row was deleted, false when there was none. */
  remove(userId: number, listingId: number): Promise<boolean>;

  exists(userId: number, listingId: number): Promise<boolean>;

  /** The users who favorited a listing, distinct, ascending (GetFavoritedUsers). */
  listUserIds(listingId: number): Promise<number[]>;

  /**
   * The user's favorite listing ids, newest first (then listing id descending), paged; `total` counts all of the
   * user's favorites, including those of listings deleted since (their rows cascade away only on hard delete).
   */
  listListingIds(
    userId: number,
    page: OffsetPage,
  ): Promise<{ readonly ids: readonly number[]; readonly total: number }>;
}
