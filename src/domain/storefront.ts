/**
 * Storefronts (`storefronts`, a subset of its columns). This service reads them: a product's owner is its
 * storefront's owner, and GetStorefront / GetStorefrontBySlug / ListStorefronts (unimplemented in the original)
 * serve them.
 */
import { AppError } from './errors.ts';
import { clampLimit, MAX_PAGE_LIMIT, type OffsetPage } from './pagination.ts';
import { checkOneOf, checkOptionalText, Violations } from './validation.ts';

export interface Storefront {
  readonly id: number;
  readonly userId: number;
  readonly slug: string;
  readonly name: string;
  readonly description: string | null;
  readonly logoUrl: string | null;
  readonly bannerUrl: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly website: string | null;
  readonly address: string | null;
  readonly city: string | null;
  readonly postalCode: string | null;
  /** ISO 3166-1 alpha-2, default `RS`. */
  readonly country: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly isActive: boolean;
  readonly isVerified: boolean;
  /** 0.00..5.00 (NUMERIC(3,2)). */
  readonly rating: number;
  readonly reviewsCount: number;
  readonly productsCount: number;
  readonly salesCount: number;
  readonly viewsCount: number;
  readonly followersCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const STOREFRONT_SORT_FIELDS = [
  'created_at',
  'name',
  'rating',
  'products_count',
  'sales_count',
  'views_count',
] as const;
export type StorefrontSortField = (typeof STOREFRONT_SORT_FIELDS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export interface StorefrontFilter {
  readonly userId?: number;
  readonly isActive?: boolean;
  readonly isVerified?: boolean;
  readonly city?: string;
}

export interface StorefrontListQuery {
  readonly filter: StorefrontFilter;
  /** Ties are broken by id in the same direction, so pages are stable. */
  readonly sortBy: StorefrontSortField;
  readonly sortOrder: SortOrder;
  readonly page: OffsetPage;
}

export interface StorefrontListInput extends StorefrontFilter {
  readonly limit?: number;
  readonly offset?: number;
  readonly sortBy?: string | null;
  readonly sortOrder?: string | null;
}

/** ListStorefronts: limit ≤ 0 → 20, > 100 → 100; offset ≥ 0; sort default `created_at desc`. */
export function validateStorefrontList(input: StorefrontListInput): StorefrontListQuery {
  const v = new Violations();
  const offset = input.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) v.add('offset', 'negative', 'offset cannot be negative');
  const sortBy = input.sortBy ? checkOneOf(v, 'sort_by', input.sortBy, STOREFRONT_SORT_FIELDS) : 'created_at';
  const sortOrder = input.sortOrder ? checkOneOf(v, 'sort_order', input.sortOrder.toLowerCase(), SORT_ORDERS) : 'desc';
  if (input.userId !== undefined && (!Number.isSafeInteger(input.userId) || input.userId <= 0)) {
    v.add('user_id', 'must_be_positive', 'user ID must be greater than 0');
  }
  const city = checkOptionalText(v, 'city', input.city, { max: 100, trim: true });
  v.throwIfAny();
  const filter: { -readonly [K in keyof StorefrontFilter]: StorefrontFilter[K] } = {};
  if (input.userId !== undefined) filter.userId = input.userId;
  if (input.isActive !== undefined) filter.isActive = input.isActive;
  if (input.isVerified !== undefined) filter.isVerified = input.isVerified;
  if (city) filter.city = city;
  return {
    filter,
    sortBy: sortBy!,
    sortOrder: sortOrder!,
    page: { limit: clampLimit(input.limit, 20, MAX_PAGE_LIMIT), offset },
  };
}

/** GetStorefrontBySlug: `slug is required`; ≤ 100 characters. */
export function validateSlug(slug: string | null | undefined): string {
  const v = new Violations();
  const text = slug?.trim() ?? '';
  if (text === '') v.add('slug', 'required', 'slug is required');
  else checkOptionalText(v, 'slug', text, { max: 100 });
  v.throwIfAny();
  return text;
}

export function storefrontNotFound(key: number | string): AppError {
  return new AppError('STOREFRONT_NOT_FOUND', `storefront not found: ${key}`, { details: { storefront: key } });
}
