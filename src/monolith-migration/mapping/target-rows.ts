/**
 * Target rows the mapping produces, one type per target table (columns of migrations/2026112500000{2..5}).
 *
 * Values are ready for `COPY ... FROM STDIN` text format and for the canonical text of §3.1:
 * - integers → `number`; numerics → decimal `string` at the target column's scale;
 * - timestamps → {@link UtcTimestampText} (`YYYY-MM-DDTHH:MM:SS.ffffffZ`). The target's naive `TIMESTAMP` columns
 *   (c2c_categories, storefronts, c2c_favorites) receive the same text: PostgreSQL ignores the zone suffix of a
 *   `timestamp without time zone` input, so the stored wall clock is the UTC one;
 * - jsonb → {@link JsonText} (compact or as received; PostgreSQL normalises jsonb on input).
 *
 * Columns the migration leaves to their defaults (`listings.version`, `listing_images.storage_key`/`thumbnails`,
 * the BIGSERIAL ids of listing_attributes and listing_locations) are absent.
 */
import type { JsonText } from './source-rows.ts';

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always 6 fraction digits), or `infinity` / `-infinity`. */
export type UtcTimestampText = string;

export interface TargetCategoryRow {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly parent_id: number | null;
  readonly icon: string | null;
  readonly created_at: UtcTimestampText | null;
  readonly has_custom_ui: boolean | null;
  readonly custom_ui_component: string | null;
  readonly sort_order: number | null;
  readonly level: number | null;
  readonly count: number | null;
  readonly external_id: string | null;
  readonly description: string | null;
  readonly is_active: boolean | null;
  readonly seo_title: string | null;
  readonly seo_description: string | null;
  readonly seo_keywords: string | null;
}

export interface TargetStorefrontRow {
  readonly id: number;
  readonly user_id: number;
  readonly slug: string;
  readonly name: string;
  readonly description: string | null;
  readonly logo_url: string | null;
  readonly banner_url: string | null;
  readonly theme: JsonText | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly website: string | null;
  readonly address: string | null;
  readonly city: string | null;
  readonly postal_code: string | null;
  readonly country: string | null;
  readonly latitude: string | null;
  readonly longitude: string | null;
  readonly formatted_address: string | null;
  readonly geo_strategy: string | null;
  readonly default_privacy_level: string | null;
  readonly address_verified: boolean | null;
  readonly settings: JsonText | null;
  readonly seo_meta: JsonText | null;
  readonly is_active: boolean | null;
  readonly is_verified: boolean | null;
  readonly verification_date: UtcTimestampText | null;
  readonly rating: string | null;
  readonly reviews_count: number | null;
  readonly products_count: number | null;
  readonly sales_count: number | null;
  readonly views_count: number | null;
  readonly followers_count: number | null;
  readonly subscription_plan: string | null;
  readonly subscription_expires_at: UtcTimestampText | null;
  readonly subscription_id: number | null;
  readonly is_subscription_active: boolean | null;
  readonly commission_rate: string | null;
  readonly ai_agent_enabled: boolean | null;
  readonly ai_agent_config: JsonText | null;
  readonly live_shopping_enabled: boolean | null;
  readonly group_buying_enabled: boolean | null;
  readonly created_at: UtcTimestampText | null;
  readonly updated_at: UtcTimestampText | null;
}

export interface TargetListingRow {
  readonly id: number;
  readonly uuid: string;
  readonly user_id: number;
  readonly storefront_id: number | null;
  readonly title: string;
  readonly description: string | null;
  readonly price: string;
  readonly currency: string;
  readonly category_id: number;
  readonly status: 'draft' | 'active' | 'inactive' | 'sold' | 'archived';
  readonly visibility: 'public';
  readonly quantity: number;
  readonly sku: string | null;
  readonly barcode: string | null;
  readonly view_count: number;
  /** Source favorites of the listing (§3.11: every favorite of a migrated listing is migrated). */
  readonly favorites_count: number;
  readonly created_at: UtcTimestampText;
  readonly updated_at: UtcTimestampText;
  readonly published_at: UtcTimestampText | null;
  readonly deleted_at: UtcTimestampText | null;
  readonly is_deleted: boolean;
  readonly source_type: 'c2c' | 'b2c';
  readonly attributes: JsonText;
  /** What the target's stock-status trigger derives from quantity (the source value is kept in `_monolith`). */
  readonly stock_status: 'in_stock' | 'low_stock' | 'out_of_stock';
  readonly sold_count: number;
  readonly has_individual_location: boolean | null;
  readonly individual_address: string | null;
  readonly individual_latitude: string | null;
  readonly individual_longitude: string | null;
  readonly location_privacy: 'exact' | 'approximate' | 'hidden';
  readonly show_on_map: boolean | null;
  readonly has_variants: boolean | null;
}

/** `listing_locations`: upserted on `listing_id` (its id is a BIGSERIAL the migration does not set). */
export interface TargetListingLocationRow {
  readonly listing_id: number;
  readonly country: string | null;
  readonly city: string | null;
  readonly postal_code: string | null;
  readonly address_line1: string | null;
  readonly address_line2: string | null;
  readonly latitude: string | null;
  readonly longitude: string | null;
  readonly created_at: UtcTimestampText;
  readonly updated_at: UtcTimestampText;
}

/** `listing_attributes`: upserted on `(listing_id, attribute_key)`. */
export interface TargetListingAttributeRow {
  readonly listing_id: number;
  readonly attribute_key: string;
  readonly attribute_value: string;
  readonly created_at: UtcTimestampText;
}

export interface TargetListingImageRow {
  readonly id: number;
  readonly listing_id: number;
  readonly url: string;
  readonly storage_path: string | null;
  readonly thumbnail_url: string | null;
  readonly display_order: number;
  readonly is_primary: boolean;
  readonly width: number | null;
  readonly height: number | null;
  readonly file_size: number | null;
  readonly mime_type: string | null;
  readonly created_at: UtcTimestampText;
  readonly updated_at: UtcTimestampText;
}

export interface TargetVariantRow {
  readonly id: number;
  readonly product_id: number;
  readonly sku: string | null;
  readonly barcode: string | null;
  readonly price: string | null;
  readonly compare_at_price: string | null;
  readonly cost_price: string | null;
  readonly stock_quantity: number;
  /** What the target's trigger derives from stock_quantity and low_stock_threshold. */
  readonly stock_status: 'in_stock' | 'low_stock' | 'out_of_stock';
  readonly low_stock_threshold: number | null;
  readonly variant_attributes: JsonText;
  readonly weight: string | null;
  readonly dimensions: JsonText | null;
  readonly is_active: boolean;
  readonly is_default: boolean;
  readonly view_count: number;
  readonly sold_count: number;
  readonly created_at: UtcTimestampText;
  readonly updated_at: UtcTimestampText;
}

/** `c2c_favorites`: key (user_id, listing_id). */
export interface TargetFavoriteRow {
  readonly user_id: number;
  readonly listing_id: number;
  readonly created_at: UtcTimestampText;
}

export interface TargetInventoryMovementRow {
  readonly id: number;
  readonly listing_id: number;
  readonly variant_id: number | null;
  readonly movement_type: string;
  readonly quantity: number;
  readonly reason: string | null;
  readonly notes: string | null;
  readonly user_id: number | null;
  readonly order_id: string | null;
  readonly created_at: UtcTimestampText;
  readonly metadata: JsonText;
}

/** A product-variant attribute value (§3.8) merged into the variant's `variant_attributes`; no row of its own. */
export interface VariantAttributeValue {
  readonly variant_id: number;
  readonly code: string;
  /** The value as JSON (string, number, boolean or the json_value). */
  readonly value: JsonText;
}
