/**
 * ListListings and SearchListings input: filters and paging with the original's texts, all problems at once.
 * The status filter is checked against the five statuses (the original passed any string through).
 */
import { LISTING_STATUSES, type ListingStatus } from './listing-status.ts';
import { checkOffsetPage, checkPriceRange, checkSearchQuery, type OffsetPage, type PriceRange } from './pagination.ts';
import { checkEntityId, checkOneOf, Violations } from './validation.ts';

/** AND-ed filters over non-deleted rows. Unset = no constraint. */
export interface ListingFilter {
  readonly userId?: number;
  readonly storefrontId?: number;
  readonly categoryId?: number;
  readonly status?: ListingStatus;
  readonly price?: PriceRange;
}

export interface ListListingsInput {
  readonly userId?: number | null;
  readonly storefrontId?: number | null;
  readonly categoryId?: number | null;
  readonly status?: string | null;
  readonly minPrice?: number | null;
  readonly maxPrice?: number | null;
  readonly limit: number;
  readonly offset: number;
}

export interface ListingListQuery {
  readonly filter: ListingFilter;
  readonly page: OffsetPage;
}

export function validateListListings(input: ListListingsInput): ListingListQuery {
  const v = new Violations();
  const page = checkOffsetPage(v, input.limit, input.offset);
  const filter: { -readonly [K in keyof ListingFilter]: ListingFilter[K] } = {};
  if (input.userId != null) filter.userId = checkEntityId(v, 'user_id', 'user', input.userId);
  if (input.storefrontId != null) {
    filter.storefrontId = checkEntityId(v, 'storefront_id', 'storefront', input.storefrontId);
  }
  if (input.categoryId != null) filter.categoryId = checkEntityId(v, 'category_id', 'category', input.categoryId);
  if (input.status != null && input.status !== '') {
    filter.status = checkOneOf(v, 'status', input.status, LISTING_STATUSES);
  }
  const price = checkPriceRange(v, input.minPrice, input.maxPrice);
  if (price.min !== null || price.max !== null) filter.price = price;
  v.throwIfAny();
  return { filter, page };
}

export interface SearchListingsInput {
  readonly query?: string | null;
  readonly categoryId?: number | null;
  readonly minPrice?: number | null;
  readonly maxPrice?: number | null;
  readonly limit: number;
  readonly offset: number;
}

export interface ListingSearchQuery {
  /** Trimmed; '' = browse everything searchable. */
  readonly text: string;
  readonly categoryId?: number;
  readonly price?: PriceRange;
  readonly page: OffsetPage;
}

export function validateSearchListings(input: SearchListingsInput): ListingSearchQuery {
  const v = new Violations();
  const text = checkSearchQuery(v, input.query);
  const page = checkOffsetPage(v, input.limit, input.offset);
  const categoryId =
    input.categoryId == null ? undefined : checkEntityId(v, 'category_id', 'category', input.categoryId);
  const price = checkPriceRange(v, input.minPrice, input.maxPrice);
  v.throwIfAny();
  return {
    text,
    page,
    ...(categoryId === undefined ? {} : { categoryId }),
    ...(price.min !== null || price.max !== null ? { price } : {}),
  };
}
