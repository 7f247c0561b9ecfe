/**
 * Favorites (`c2c_favorites`): a user marks a listing. Adding and removing are idempotent; the listing's
 * `favorites_count` follows the rows (the original never maintained it), updated in the same transaction.
 */
export interface Favorite {
  readonly userId: number;
  readonly listingId: number;
  readonly createdAt: Date;
}
