import type { ChangeFavorite } from '../../../src/favorites/change-favorite.ts';
import type { FavoriteQueries } from '../../../src/favorites/favorite-queries.ts';
import type { Handlers } from '../context.ts';
import { toFavoriteInput, toUserFavoritesInput } from '../mappers/listing-requests.ts';

export interface FavoriteHandlerDeps {
  readonly favoriteQueries: Pick<FavoriteQueries, 'favoritedUsers' | 'userFavorites' | 'isFavorite'>;
  readonly changeFavorite: Pick<ChangeFavorite, 'add' | 'remove'>;
}

/**
 * Favorites need the user (flaw #2): `user_id` 0 means the caller, another user's id needs the admin or service
 * role. Add and Remove are idempotent. GetUserFavorites pages (flaw #30) and `total` counts all of the user's
 * favorites, not only the page.
 */
export function favoriteHandlers(deps: FavoriteHandlerDeps): Partial<Handlers> {
  return {
    GetFavoritedUsers: async (request, { principal }) => ({
      userIds: await deps.favoriteQueries.favoritedUsers(principal, { listingId: request.listingId }),
    }),
    AddToFavorites: async (request, { principal }) => {
      await deps.changeFavorite.add(principal, toFavoriteInput(request));
      return {};
    },
    RemoveFromFavorites: async (request, { principal }) => {
      await deps.changeFavorite.remove(principal, toFavoriteInput(request));
      return {};
    },
    GetUserFavorites: async (request, { principal }) => {
      const page = await deps.favoriteQueries.userFavorites(principal, toUserFavoritesInput(request));
      return { listingIds: [...page.listingIds], total: page.total };
    },
    IsFavorite: async (request, { principal }) => ({
      isFavorite: await deps.favoriteQueries.isFavorite(principal, toFavoriteInput(request)),
    }),
  };
}
