import type { Storefront, StorefrontSortField } from '../../src/domain/storefront.ts';

/**
 * `storefronts` rows ↔ {@link Storefront} (the columns this service reads). NUMERIC `rating` and coordinates arrive as
 * exact text and become numbers (`rating` has two decimals, so the number is the nearest double of the stored
 * value); naive TIMESTAMPs are read as UTC. A NULL reads as the column's default.
 */
export interface StorefrontRow {
  readonly id: number;
  readonly user_id: number;
  readonly slug: string;
  readonly name: string;
  readonly description: string | null;
  readonly logo_url: string | null;
  readonly banner_url: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly website: string | null;
  readonly address: string | null;
  readonly city: string | null;
  readonly postal_code: string | null;
  readonly country: string | null;
  readonly latitude: string | null;
  readonly longitude: string | null;
  readonly is_active: boolean | null;
  readonly is_verified: boolean | null;
  readonly rating: string | null;
  readonly reviews_count: number | null;
  readonly products_count: number | null;
  readonly sales_count: number | null;
  readonly views_count: number | null;
  readonly followers_count: number | null;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

export const STOREFRONT_COLUMNS = [
  'id',
  'user_id',
  'slug',
  'name',
  'description',
  'logo_url',
  'banner_url',
  'phone',
  'email',
  'website',
  'address',
  'city',
  'postal_code',
  'country',
  'latitude',
  'longitude',
  'is_active',
  'is_verified',
  'rating',
  'reviews_count',
  'products_count',
  'sales_count',
  'views_count',
  'followers_count',
  'created_at',
  'updated_at',
] as const;

/** Sort fields are a closed list (storefront.ts), each the column of the same name. */
export const STOREFRONT_SORT_COLUMNS: Readonly<Record<StorefrontSortField, string>> = {
  created_at: 'created_at',
  name: 'name',
  rating: 'rating',
  products_count: 'products_count',
  sales_count: 'sales_count',
  views_count: 'views_count',
};

const optionalNumber = (value: string | null) => (value === null ? null : Number(value));

export function toStorefront(row: StorefrontRow): Storefront {
  return {
    id: row.id,
    userId: row.user_id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    logoUrl: row.logo_url,
    bannerUrl: row.banner_url,
    phone: row.phone,
    email: row.email,
    website: row.website,
    address: row.address,
    city: row.city,
    postalCode: row.postal_code,
    country: row.country ?? 'RS',
    latitude: optionalNumber(row.latitude),
    longitude: optionalNumber(row.longitude),
    isActive: row.is_active ?? true,
    isVerified: row.is_verified ?? false,
    rating: Number(row.rating ?? 0),
    reviewsCount: row.reviews_count ?? 0,
    productsCount: row.products_count ?? 0,
    salesCount: row.sales_count ?? 0,
    viewsCount: row.views_count ?? 0,
    followersCount: row.followers_count ?? 0,
    createdAt: row.created_at ?? new Date(0),
    updatedAt: row.updated_at ?? new Date(0),
  };
}
