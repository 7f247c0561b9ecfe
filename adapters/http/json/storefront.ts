import type { Storefront } from '../../../src/domain/storefront.ts';
import { compact, type Json, timestampOf } from './compact.ts';

/** A storefront as the Storefront message has it, in snake_case. */
export function storefrontJson(storefront: Storefront): Json {
  return compact({
    id: storefront.id,
    user_id: storefront.userId,
    slug: storefront.slug,
    name: storefront.name,
    description: storefront.description,
    logo_url: storefront.logoUrl,
    banner_url: storefront.bannerUrl,
    phone: storefront.phone,
    email: storefront.email,
    website: storefront.website,
    address: storefront.address,
    city: storefront.city,
    postal_code: storefront.postalCode,
    country: storefront.country,
    latitude: storefront.latitude,
    longitude: storefront.longitude,
    is_active: storefront.isActive,
    is_verified: storefront.isVerified,
    rating: storefront.rating,
    reviews_count: storefront.reviewsCount,
    products_count: storefront.productsCount,
    sales_count: storefront.salesCount,
    views_count: storefront.viewsCount,
    followers_count: storefront.followersCount,
    created_at: timestampOf(storefront.createdAt),
    updated_at: timestampOf(storefront.updatedAt),
  });
}
