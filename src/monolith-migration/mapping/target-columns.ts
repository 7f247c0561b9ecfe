/**
 * The columns of each target row type, in one fixed order (for COPY column lists and for building rows from
 * same-named source columns without carrying unknown keys along).
 */
import type {
  TargetCategoryRow,
  TargetFavoriteRow,
  TargetInventoryMovementRow,
  TargetListingAttributeRow,
  TargetListingImageRow,
  TargetListingLocationRow,
  TargetListingRow,
  TargetStorefrontRow,
  TargetVariantRow,
} from './target-rows.ts';

/** Every key of T, once: a missing or unknown name fails to compile. */
type ColumnsOf<T> = readonly (keyof T & string)[];

export const CATEGORY_COLUMNS = [
  'id',
  'name',
  'slug',
  'parent_id',
  'icon',
  'created_at',
  'has_custom_ui',
  'custom_ui_component',
  'sort_order',
  'level',
  'count',
  'external_id',
  'description',
  'is_active',
  'seo_title',
  'seo_description',
  'seo_keywords',
] as const satisfies ColumnsOf<TargetCategoryRow>;

export const STOREFRONT_COLUMNS = [
  'id',
  'user_id',
  'slug',
  'name',
  'description',
  'logo_url',
  'banner_url',
  'theme',
  'phone',
  'email',
  'website',
  'address',
  'city',
  'postal_code',
  'country',
  'latitude',
  'longitude',
  'formatted_address',
  'geo_strategy',
  'default_privacy_level',
  'address_verified',
  'settings',
  'seo_meta',
  'is_active',
  'is_verified',
  'verification_date',
  'rating',
  'reviews_count',
  'products_count',
  'sales_count',
  'views_count',
  'followers_count',
  'subscription_plan',
  'subscription_expires_at',
  'subscription_id',
  'is_subscription_active',
  'commission_rate',
  'ai_agent_enabled',
  'ai_agent_config',
  'live_shopping_enabled',
  'group_buying_enabled',
  'created_at',
  'updated_at',
] as const satisfies ColumnsOf<TargetStorefrontRow>;

export const LISTING_COLUMNS = [
  'id',
  'uuid',
  'user_id',
  'storefront_id',
  'title',
  'description',
  'price',
  'currency',
  'category_id',
  'status',
  'visibility',
  'quantity',
  'sku',
  'barcode',
  'view_count',
  'favorites_count',
  'created_at',
  'updated_at',
  'published_at',
  'deleted_at',
  'is_deleted',
  'source_type',
  'attributes',
  'stock_status',
  'sold_count',
  'has_individual_location',
  'individual_address',
  'individual_latitude',
  'individual_longitude',
  'location_privacy',
  'show_on_map',
  'has_variants',
] as const satisfies ColumnsOf<TargetListingRow>;

export const LOCATION_COLUMNS = [
  'listing_id',
  'country',
  'city',
  'postal_code',
  'address_line1',
  'address_line2',
  'latitude',
  'longitude',
  'created_at',
  'updated_at',
] as const satisfies ColumnsOf<TargetListingLocationRow>;

export const ATTRIBUTE_COLUMNS = [
  'listing_id',
  'attribute_key',
  'attribute_value',
  'created_at',
] as const satisfies ColumnsOf<TargetListingAttributeRow>;

export const IMAGE_COLUMNS = [
  'id',
  'listing_id',
  'url',
  'storage_path',
  'thumbnail_url',
  'display_order',
  'is_primary',
  'width',
  'height',
  'file_size',
  'mime_type',
  'created_at',
  'updated_at',
] as const satisfies ColumnsOf<TargetListingImageRow>;

export const VARIANT_COLUMNS = [
  'id',
  'product_id',
  'sku',
  'barcode',
  'price',
  'compare_at_price',
  'cost_price',
  'stock_quantity',
  'stock_status',
  'low_stock_threshold',
  'variant_attributes',
  'weight',
  'dimensions',
  'is_active',
  'is_default',
  'view_count',
  'sold_count',
  'created_at',
  'updated_at',
] as const satisfies ColumnsOf<TargetVariantRow>;

export const FAVORITE_COLUMNS = ['user_id', 'listing_id', 'created_at'] as const satisfies ColumnsOf<TargetFavoriteRow>;

export const MOVEMENT_COLUMNS = [
  'id',
  'listing_id',
  'variant_id',
  'movement_type',
  'quantity',
  'reason',
  'notes',
  'user_id',
  'order_id',
  'created_at',
  'metadata',
] as const satisfies ColumnsOf<TargetInventoryMovementRow>;

/** The named columns of a row, as a new object (source rows with the target's column names). */
export function pickColumns<T>(row: object, columns: readonly string[]): T {
  const source = row as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const column of columns) out[column] = source[column] ?? null;
  return out as T;
}
