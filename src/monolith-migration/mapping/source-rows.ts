/**
 * Monolith rows as the mapping receives them (reference monolith.md §1, §3.0.5): every value travels as the text
 * PostgreSQL printed, never through a lossy JavaScript type.
 *
 * - `integer` / `smallint` → `number` (exact in a double); `bigint` → decimal `string`.
 * - `numeric` → decimal `string` exactly as printed (e.g. `'1500.00'`).
 * - `timestamp` (naive) → {@link NaiveTimestampText}; `timestamptz` → {@link TimestampTzText}; `date` → `'YYYY-MM-DD'`.
 * - `json` / `jsonb` → {@link JsonText}: the text PostgreSQL printed, not parsed (the reader sets identity type
 *   parsers for json/jsonb, timestamp, timestamptz, date, numeric and int8).
 * - enums and `char(n)` → `string` as printed (char(n) blank-padded).
 * - `NULL` → `null` for every nullable column.
 *
 * Property names are the source column names, so `SELECT <columns>` rows can be passed as they come.
 */

/** A `timestamp without time zone` as PostgreSQL prints it with `DateStyle = ISO`: `2025-10-20 17:38:47.121733`. */
export type NaiveTimestampText = string;
/** A `timestamptz` as PostgreSQL prints it with `DateStyle = ISO`: `2025-10-20 17:38:47.121733+00`. */
export type TimestampTzText = string;
/** A decimal as PostgreSQL prints `numeric`: `-12.50`, `0.00000000`. */
export type DecimalText = string;
/** JSON text exactly as PostgreSQL printed a json/jsonb value. */
export type JsonText = string;

/** `c2c_categories` (17 columns, §1.4). */
export interface SourceCategoryRow {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly parent_id: number | null;
  readonly icon: string | null;
  readonly created_at: NaiveTimestampText | null;
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

/** `b2c_stores` (43 columns, §1.5). Enums (`geo_strategy`, `default_privacy_level`) arrive as text. */
export interface SourceStoreRow {
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
  readonly latitude: DecimalText | null;
  readonly longitude: DecimalText | null;
  readonly settings: JsonText | null;
  readonly seo_meta: JsonText | null;
  readonly is_active: boolean | null;
  readonly is_verified: boolean | null;
  readonly verification_date: NaiveTimestampText | null;
  readonly rating: DecimalText | null;
  readonly reviews_count: number | null;
  readonly products_count: number | null;
  readonly sales_count: number | null;
  readonly views_count: number | null;
  readonly subscription_plan: string | null;
  readonly subscription_expires_at: NaiveTimestampText | null;
  readonly commission_rate: DecimalText | null;
  readonly ai_agent_enabled: boolean | null;
  readonly ai_agent_config: JsonText | null;
  readonly live_shopping_enabled: boolean | null;
  readonly group_buying_enabled: boolean | null;
  readonly created_at: NaiveTimestampText | null;
  readonly updated_at: NaiveTimestampText | null;
  readonly formatted_address: string | null;
  readonly geo_strategy: string | null;
  readonly default_privacy_level: string | null;
  readonly address_verified: boolean | null;
  readonly subscription_id: number | null;
  readonly is_subscription_active: boolean | null;
  readonly followers_count: number | null;
}

/** `c2c_listings` (23 columns, §1.3). */
export interface SourceC2cListingRow {
  readonly id: number;
  readonly user_id: number | null;
  readonly category_id: number | null;
  readonly title: string;
  readonly description: string | null;
  readonly price: DecimalText | null;
  readonly condition: string | null;
  readonly status: string | null;
  readonly location: string | null;
  readonly latitude: DecimalText | null;
  readonly longitude: DecimalText | null;
  readonly address_city: string | null;
  readonly address_country: string | null;
  readonly views_count: number | null;
  readonly show_on_map: boolean;
  readonly original_language: string | null;
  readonly created_at: NaiveTimestampText | null;
  readonly updated_at: NaiveTimestampText | null;
  readonly storefront_id: number | null;
  readonly external_id: string | null;
  readonly metadata: JsonText | null;
  readonly needs_reindex: boolean | null;
  readonly address_multilingual: JsonText | null;
}

/** `c2c_images` (§1.4). `display_order` is `null` when the source predates 2025-11-09 (no such column). */
export interface SourceC2cImageRow {
  readonly id: number;
  readonly listing_id: number | null;
  readonly file_path: string;
  readonly file_name: string;
  readonly file_size: number;
  readonly content_type: string;
  readonly is_main: boolean | null;
  readonly created_at: NaiveTimestampText | null;
  readonly storage_type: string | null;
  readonly storage_bucket: string | null;
  readonly public_url: string | null;
  readonly display_order?: number | null;
}

/** `c2c_listing_variants` (§1.4). */
export interface SourceC2cVariantRow {
  readonly id: number;
  readonly listing_id: number;
  readonly sku: string;
  readonly price: DecimalText | null;
  readonly stock: number | null;
  readonly attributes: JsonText;
  readonly image_url: string | null;
  readonly is_active: boolean;
  readonly created_at: TimestampTzText | null;
  readonly updated_at: TimestampTzText | null;
}

/** `c2c_favorites` (§1.4). */
export interface SourceC2cFavoriteRow {
  readonly user_id: number;
  readonly listing_id: number;
  readonly created_at: NaiveTimestampText | null;
}

/** `b2c_products` (24 columns, §1.5). */
export interface SourceB2cProductRow {
  readonly id: number;
  readonly storefront_id: number;
  readonly name: string;
  readonly description: string;
  readonly price: DecimalText;
  readonly currency: string;
  readonly category_id: number;
  readonly sku: string | null;
  readonly barcode: string | null;
  readonly stock_quantity: number;
  readonly stock_status: string;
  readonly is_active: boolean;
  readonly attributes: JsonText | null;
  readonly view_count: number;
  readonly sold_count: number;
  readonly created_at: TimestampTzText;
  readonly updated_at: TimestampTzText;
  readonly has_individual_location: boolean | null;
  readonly individual_address: string | null;
  readonly individual_latitude: DecimalText | null;
  readonly individual_longitude: DecimalText | null;
  readonly location_privacy: string | null;
  readonly show_on_map: boolean | null;
  readonly has_variants: boolean | null;
}

/** `b2c_product_images` (§1.5). */
export interface SourceB2cProductImageRow {
  readonly id: number;
  readonly storefront_product_id: number;
  readonly image_url: string;
  readonly thumbnail_url: string;
  readonly display_order: number;
  readonly is_default: boolean;
  readonly created_at: TimestampTzText;
}

/** `b2c_product_variants` (19 columns, §1.5). */
export interface SourceB2cVariantRow {
  readonly id: number;
  readonly product_id: number;
  readonly sku: string | null;
  readonly barcode: string | null;
  readonly price: DecimalText | null;
  readonly compare_at_price: DecimalText | null;
  readonly cost_price: DecimalText | null;
  readonly stock_quantity: number;
  readonly stock_status: string;
  readonly low_stock_threshold: number | null;
  readonly variant_attributes: JsonText;
  readonly weight: DecimalText | null;
  readonly dimensions: JsonText | null;
  readonly is_active: boolean;
  readonly is_default: boolean;
  readonly view_count: number;
  readonly sold_count: number;
  readonly created_at: TimestampTzText;
  readonly updated_at: TimestampTzText;
}

/** `b2c_product_variant_images` (§1.5). */
export interface SourceVariantImageRow {
  readonly id: number;
  readonly variant_id: number;
  readonly image_url: string;
  readonly thumbnail_url: string | null;
  readonly alt_text: string | null;
  readonly display_order: number;
  readonly is_main: boolean;
  readonly created_at: TimestampTzText;
}

/** `b2c_product_attributes` (§1.5); the attribute's code comes from {@link MappingContext.attributeCode}. */
export interface SourceProductAttributeRow {
  readonly id: number;
  readonly product_id: number;
  readonly attribute_id: number;
  readonly is_enabled: boolean;
  readonly is_required: boolean;
  readonly custom_values: JsonText | null;
  readonly created_at: TimestampTzText;
  readonly updated_at: TimestampTzText;
}

/** `b2c_favorites` (§1.5). */
export interface SourceB2cFavoriteRow {
  readonly user_id: number;
  readonly product_id: number;
  readonly created_at: NaiveTimestampText;
}

/** `b2c_inventory_movements` (§1.5). */
export interface SourceInventoryMovementRow {
  readonly id: number;
  readonly storefront_product_id: number;
  readonly variant_id: number | null;
  readonly type: string;
  readonly quantity: number;
  readonly reason: string;
  readonly order_id: number | null;
  readonly notes: string | null;
  readonly user_id: number;
  readonly created_at: TimestampTzText;
}

/** `unified_attribute_values` (§1.6). `date_value` as `YYYY-MM-DD`, `numeric_value` unbounded decimal text. */
export interface SourceAttributeValueRow {
  readonly id: number;
  readonly entity_type: string;
  readonly entity_id: number;
  readonly attribute_id: number;
  readonly text_value: string | null;
  readonly numeric_value: DecimalText | null;
  readonly boolean_value: boolean | null;
  readonly date_value: string | null;
  readonly json_value: JsonText | null;
  readonly created_at: NaiveTimestampText | null;
  readonly updated_at: NaiveTimestampText | null;
}

/**
 * `unified_geo` (§1.6) with the geography points read as text coordinates
 * (`ST_Y(location::geometry)::text` / `ST_X(...)`, and the same for `original_location`), since a geography
 * value has no useful text form for the mapping.
 */
export interface SourceGeoRow {
  readonly id: string;
  readonly source_type: string;
  readonly source_id: string;
  readonly latitude: string;
  readonly longitude: string;
  readonly geohash: string;
  readonly formatted_address: string | null;
  readonly created_at: TimestampTzText;
  readonly updated_at: TimestampTzText;
  readonly privacy_level: string | null;
  readonly original_latitude: string | null;
  readonly original_longitude: string | null;
  readonly blur_radius_meters: number | null;
}

/** `translations` (§1.6); only rows with `entity_type = 'listing'` are in scope. */
export interface SourceTranslationRow {
  readonly id: number;
  readonly entity_type: string;
  readonly entity_id: number;
  readonly language: string;
  readonly field_name: string;
  readonly translated_text: string;
  readonly is_machine_translated: boolean | null;
  readonly is_verified: boolean | null;
  readonly created_at: NaiveTimestampText | null;
  readonly updated_at: NaiveTimestampText | null;
  readonly metadata: JsonText | null;
  readonly version: number | null;
  readonly last_modified_by: number | null;
}
