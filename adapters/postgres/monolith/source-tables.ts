import type { SourceTable } from '../../../src/monolith-migration/mapping/index.ts';

/**
 * How each source table is scanned: the SELECT list (source column names, so rows pass to the mapping as they
 * come), the rows in scope, the keyset key, and which columns `--since` narrows on (naive ones are compared in
 * the source zone). Geography points are read as text coordinates.
 */
export interface SourceTableSql {
  readonly table: string;
  readonly columns: string;
  /** Extra condition of the rows in scope (translations of listings, geo rows of listings). */
  readonly scope?: string;
  /** `id` (integer keyset) or the favorites' (user, listing) pair. */
  readonly key: 'id' | { readonly user: string; readonly listing: string };
  /** Columns `--since` compares; `naive` when they are `timestamp without time zone`. */
  readonly since?: { readonly columns: readonly string[]; readonly naive: boolean };
}

const GEO_COLUMNS = `id::text AS id, source_type::text AS source_type, source_id::text AS source_id,
  ST_Y(location::geometry)::text AS latitude, ST_X(location::geometry)::text AS longitude, geohash,
  formatted_address, created_at, updated_at, privacy_level::text AS privacy_level,
  ST_Y(original_location::geometry)::text AS original_latitude,
  ST_X(original_location::geometry)::text AS original_longitude, blur_radius_meters`;

/** Source types of a C2C listing's geo row (current and pre-rename names). */
export const LISTING_GEO_TYPES = "source_type::text IN ('c2c_listing', 'marketplace_listing')";

/**
 * The same condition on the enum itself, so (source_type, source_id) lookups use the table's unique index (the
 * text form above scans the table). Both labels are in the monolith's `geo_source_type` (§1.2).
 */
export const LISTING_GEO_TYPES_INDEXED = "source_type IN ('c2c_listing', 'marketplace_listing')";

export const SOURCE_TABLES: Readonly<Record<SourceTable, SourceTableSql>> = {
  c2c_categories: {
    table: 'c2c_categories',
    columns: `id, name, slug, parent_id, icon, created_at, has_custom_ui, custom_ui_component, sort_order, level,
      count, external_id, description, is_active, seo_title, seo_description, seo_keywords`,
    key: 'id',
    since: { columns: ['created_at'], naive: true },
  },
  b2c_stores: {
    table: 'b2c_stores',
    columns: `id, user_id, slug, name, description, logo_url, banner_url, theme, phone, email, website, address, city,
      postal_code, country, latitude, longitude, settings, seo_meta, is_active, is_verified, verification_date, rating,
      reviews_count, products_count, sales_count, views_count, subscription_plan, subscription_expires_at,
      commission_rate, ai_agent_enabled, ai_agent_config, live_shopping_enabled, group_buying_enabled, created_at,
      updated_at, formatted_address, geo_strategy::text AS geo_strategy,
      default_privacy_level::text AS default_privacy_level, address_verified, subscription_id,
      is_subscription_active, followers_count`,
    key: 'id',
    since: { columns: ['created_at', 'updated_at'], naive: true },
  },
  c2c_listings: {
    table: 'c2c_listings',
    columns: `id, user_id, category_id, title, description, price, condition, status, location, latitude, longitude,
      address_city, address_country, views_count, show_on_map, original_language, created_at, updated_at,
      storefront_id, external_id, metadata, needs_reindex, address_multilingual`,
    key: 'id',
    since: { columns: ['created_at', 'updated_at'], naive: true },
  },
  b2c_products: {
    table: 'b2c_products',
    columns: `id, storefront_id, name, description, price, currency, category_id, sku, barcode, stock_quantity,
      stock_status, is_active, attributes, view_count, sold_count, created_at, updated_at, has_individual_location,
      individual_address, individual_latitude, individual_longitude, location_privacy::text AS location_privacy,
      show_on_map, has_variants`,
    key: 'id',
    since: { columns: ['created_at', 'updated_at'], naive: false },
  },
  c2c_images: {
    table: 'c2c_images',
    // display_order is appended by the reader when the source has it (2025-11-09 shape).
    columns: `id, listing_id, file_path, file_name, file_size, content_type, is_main, created_at, storage_type,
      storage_bucket, public_url`,
    key: 'id',
  },
  b2c_product_images: {
    table: 'b2c_product_images',
    columns: 'id, storefront_product_id, image_url, thumbnail_url, display_order, is_default, created_at',
    key: 'id',
  },
  c2c_listing_variants: {
    table: 'c2c_listing_variants',
    columns: 'id, listing_id, sku, price, stock, attributes, image_url, is_active, created_at, updated_at',
    key: 'id',
  },
  b2c_product_variants: {
    table: 'b2c_product_variants',
    columns: `id, product_id, sku, barcode, price, compare_at_price, cost_price, stock_quantity, stock_status,
      low_stock_threshold, variant_attributes, weight, dimensions, is_active, is_default, view_count, sold_count,
      created_at, updated_at`,
    key: 'id',
  },
  b2c_product_variant_images: {
    table: 'b2c_product_variant_images',
    columns: 'id, variant_id, image_url, thumbnail_url, alt_text, display_order, is_main, created_at',
    key: 'id',
  },
  b2c_product_attributes: {
    table: 'b2c_product_attributes',
    columns: 'id, product_id, attribute_id, is_enabled, is_required, custom_values, created_at, updated_at',
    key: 'id',
  },
  c2c_favorites: {
    table: 'c2c_favorites',
    columns: 'user_id, listing_id, created_at',
    key: { user: 'user_id', listing: 'listing_id' },
  },
  b2c_favorites: {
    table: 'b2c_favorites',
    columns: 'user_id, product_id, created_at',
    key: { user: 'user_id', listing: 'product_id' },
  },
  b2c_inventory_movements: {
    table: 'b2c_inventory_movements',
    columns: 'id, storefront_product_id, variant_id, type, quantity, reason, order_id, notes, user_id, created_at',
    key: 'id',
  },
  unified_attribute_values: {
    table: 'unified_attribute_values',
    columns: `id, entity_type, entity_id, attribute_id, text_value, numeric_value, boolean_value, date_value,
      json_value, created_at, updated_at`,
    key: 'id',
  },
  unified_geo: { table: 'unified_geo', columns: GEO_COLUMNS, scope: LISTING_GEO_TYPES, key: 'id' },
  translations: {
    table: 'translations',
    columns: `id, entity_type, entity_id, language, field_name, translated_text, is_machine_translated, is_verified,
      created_at, updated_at, metadata, version, last_modified_by`,
    scope: "entity_type = 'listing'",
    key: 'id',
  },
};

/** Tables without which the source is not the monolith this command knows (exit 4). */
export const REQUIRED_TABLES: readonly string[] = [
  'c2c_categories',
  'b2c_stores',
  'c2c_listings',
  'b2c_products',
  'c2c_images',
  'b2c_product_images',
  'c2c_listing_variants',
  'b2c_product_variants',
  'b2c_product_variant_images',
  'b2c_product_attributes',
  'c2c_favorites',
  'b2c_favorites',
  'b2c_inventory_movements',
];
