import type { Handlers } from '../context.ts';
import { toFavoriteInput, toUserFavoritesInput } from '../mappers/listing-requests.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * Favorites need the user (flaw #2): `user_id` 0 means the caller, another user's id needs the admin or service
 * role. Add and Remove are idempotent. GetUserFavorites pages (flaw #30) and `total` counts all of the user's
 * favorites, not only the page.
 */
export function favoriteHandlers({ favorites }: Pick<GrpcUseCases, 'favorites'>): Partial<Handlers> {
  return {
    GetFavoritedUsers: async (request, { principal }) => ({
      userIds: await favorites.queries.favoritedUsers(principal, { listingId: request.listingId }),
    }),
    AddToFavorites: async (request, { principal }) => {
      await favorites.change.add(principal, toFavoriteInput(request));
      return {};
    },
    RemoveFromFavorites: async (request, { principal }) => {
      await favorites.change.remove(principal, toFavoriteInput(request));
      return {};
    },
    GetUserFavorites: async (request, { principal }) => {
      const page = await favorites.queries.userFavorites(principal, toUserFavoritesInput(request));
      return { listingIds: [...page.listingIds], total: page.total };
    },
    IsFavorite: async (request, { principal }) => ({
      isFavorite: await favorites.queries.isFavorite(principal, toFavoriteInput(request)),
    }),
  };
}
