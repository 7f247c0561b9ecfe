/**
 * Listing-family requests → use-case inputs. Presence is kept: an unset `optional` field stays `undefined` (not
 * provided), a present 0 or "" is passed as sent so the domain can reject or apply it. Money stays the wire's double:
 * the domain's money parser (src/domain/money.ts) turns it into minor units and rejects `10.001` with a `price`
 * violation. Ids the original trusted (`user_id`) are passed as the caller's claim; the use cases check them against
 * the authenticated principal (flaw #1).
 */
import type { NewImageInput } from '../../../src/domain/image.ts';
import type { CreateListingInput } from '../../../src/domain/listing.ts';
import type { FavoriteInput } from '../../../src/favorites/change-favorite.ts';
import type { UserFavoritesInput } from '../../../src/favorites/favorite-queries.ts';
import type { DeleteListingInput } from '../../../src/listings/delete-listing.ts';
import type { ListListingsRequest as ListListingsInput } from '../../../src/listings/list-listings.ts';
import type { ListingsForReindexInput } from '../../../src/listings/listings-for-reindex.ts';
import type { UpdateListingInput } from '../../../src/listings/update-listing.ts';
import type { SearchListingsRequest as SearchListingsInput } from '../../../src/search/search-request.ts';
import type {
  AddImageRequest,
  AddToFavoritesRequest,
  CreateListingRequest,
  DeleteListingRequest,
  GetUserFavoritesRequest,
  IsFavoriteRequest,
  ListListingsRequest,
  ReindexRequest,
  RemoveFromFavoritesRequest,
  SearchListingsRequest,
  UpdateListingRequest,
} from '../generated/listings/v1/listings.ts';

export function toCreateListingInput(request: CreateListingRequest): CreateListingInput {
  return {
    userId: request.userId,
    storefrontId: request.storefrontId,
    title: request.title,
    description: request.description,
    price: request.price,
    currency: request.currency,
    categoryId: request.categoryId,
    quantity: request.quantity,
    sku: request.sku,
  };
}

/** Only the present optional fields; `user_id` 0 means "the caller". */
export function toUpdateListingInput(request: UpdateListingRequest): UpdateListingInput {
  return {
    id: request.id,
    userId: request.userId,
    title: request.title,
    description: request.description,
    price: request.price,
    quantity: request.quantity,
    status: request.status,
  };
}

export function toDeleteListingInput(request: DeleteListingRequest): DeleteListingInput {
  return { id: request.id, userId: request.userId };
}

export function toListListingsInput(request: ListListingsRequest): ListListingsInput {
  return {
    userId: request.userId,
    storefrontId: request.storefrontId,
    categoryId: request.categoryId,
    status: request.status,
    minPrice: request.minPrice,
    maxPrice: request.maxPrice,
    limit: request.limit,
    offset: request.offset,
  };
}

/** An empty query browses (flaw #16); limit 1..100, offset ≥ 0 and the price bounds are the domain's checks. */
export function toSearchListingsInput(request: SearchListingsRequest): SearchListingsInput {
  return {
    query: request.query,
    categoryId: request.categoryId,
    minPrice: request.minPrice,
    maxPrice: request.maxPrice,
    limit: request.limit,
    offset: request.offset,
  };
}

/** An unset `last_id` starts the walk; a present 0 does too (ids are > 0). */
export function toReindexInput(request: ReindexRequest): ListingsForReindexInput {
  return { batchSize: request.batchSize, lastId: request.lastId };
}

export function toNewImageInput(request: AddImageRequest): NewImageInput {
  return {
    listingId: request.listingId,
    url: request.url,
    storagePath: request.storagePath,
    thumbnailUrl: request.thumbnailUrl,
    displayOrder: request.displayOrder,
    isPrimary: request.isPrimary,
    width: request.width,
    height: request.height,
    fileSize: request.fileSize,
    mimeType: request.mimeType,
  };
}

/** `user_id` 0 means "the caller"; another user's id needs the admin or service role. */
export function toFavoriteInput(
  request: AddToFavoritesRequest | RemoveFromFavoritesRequest | IsFavoriteRequest,
): FavoriteInput {
  return { userId: request.userId, listingId: request.listingId };
}

/** limit ≤ 0 → 20 (the original ignored paging); offset ≥ 0. */
export function toUserFavoritesInput(request: GetUserFavoritesRequest): UserFavoritesInput {
  return { userId: request.userId, limit: request.limit, offset: request.offset };
}
