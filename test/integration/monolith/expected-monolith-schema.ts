/**
 * The monolith's columns as monolith.md §1.3-§1.6 states them, in physical order: `name type [NN]`, types as
 * `int`, `bigint`, `text`, `bool`, `jsonb`, `date`, `ts` (without time zone), `tstz`, `varchar(n)`, `char(n)`,
 * `numeric(p,s)`, `numeric` (unbounded), or an enum / PostGIS type name. Shape 2025-11-10.
 */
export const EXPECTED_COLUMNS: Readonly<Record<string, string>> = {
  c2c_listings: `id int NN, user_id int, category_id int, title varchar(255) NN, description text, price numeric(12,2),
    condition varchar(50), status varchar(20), location varchar(255), latitude numeric(10,8), longitude numeric(11,8),
    address_city varchar(100), address_country varchar(100), views_count int, show_on_map bool NN,
    original_language varchar(10), created_at ts, updated_at ts, storefront_id int, external_id varchar(255),
    metadata jsonb, needs_reindex bool, address_multilingual jsonb`,
  c2c_images: `id int NN, listing_id int, file_path varchar(255) NN, file_name varchar(255) NN, file_size int NN,
    content_type varchar(100) NN, is_main bool, created_at ts, storage_type varchar(20), storage_bucket varchar(100),
    public_url text, display_order int`,
  c2c_categories: `id int NN, name varchar(100) NN, slug varchar(100) NN, parent_id int, icon varchar(50), created_at ts,
    has_custom_ui bool, custom_ui_component varchar(255), sort_order int, level int, count int,
    external_id varchar(255), description text, is_active bool, seo_title varchar(255), seo_description text,
    seo_keywords text`,
  c2c_favorites: 'user_id int NN, listing_id int NN, created_at ts',
  c2c_listing_variants: `id int NN, listing_id int NN, sku varchar(100) NN, price numeric(10,2), stock int,
    attributes jsonb NN, image_url text, is_active bool NN, created_at tstz, updated_at tstz`,
  b2c_stores: `id int NN, user_id int NN, slug varchar(100) NN, name varchar(255) NN, description text,
    logo_url varchar(500), banner_url varchar(500), theme jsonb, phone varchar(50), email varchar(255),
    website varchar(255), address text, city varchar(100), postal_code varchar(20), country varchar(100),
    latitude numeric(10,8), longitude numeric(11,8), settings jsonb, seo_meta jsonb, is_active bool, is_verified bool,
    verification_date ts, rating numeric(3,2), reviews_count int, products_count int, sales_count int,
    views_count int, subscription_plan varchar(50), subscription_expires_at ts, commission_rate numeric(5,2),
    ai_agent_enabled bool, ai_agent_config jsonb, live_shopping_enabled bool, group_buying_enabled bool,
    created_at ts, updated_at ts, formatted_address text, geo_strategy storefront_geo_strategy,
    default_privacy_level location_privacy_level, address_verified bool, subscription_id int,
    is_subscription_active bool, followers_count int`,
  b2c_products: `id int NN, storefront_id int NN, name varchar(255) NN, description text NN, price numeric(15,2) NN,
    currency char(3) NN, category_id int NN, sku varchar(100), barcode varchar(100), stock_quantity int NN,
    stock_status varchar(20) NN, is_active bool NN, attributes jsonb, view_count int NN, sold_count int NN,
    created_at tstz NN, updated_at tstz NN, has_individual_location bool, individual_address text,
    individual_latitude numeric(10,8), individual_longitude numeric(11,8), location_privacy location_privacy_level,
    show_on_map bool, has_variants bool`,
  b2c_product_images: `id int NN, storefront_product_id int NN, image_url text NN, thumbnail_url text NN,
    display_order int NN, is_default bool NN, created_at tstz NN`,
  b2c_product_variants: `id int NN, product_id int NN, sku varchar(100), barcode varchar(100), price numeric(15,2),
    compare_at_price numeric(15,2), cost_price numeric(15,2), stock_quantity int NN, stock_status varchar(20) NN,
    low_stock_threshold int, variant_attributes jsonb NN, weight numeric(10,3), dimensions jsonb, is_active bool NN,
    is_default bool NN, view_count int NN, sold_count int NN, created_at tstz NN, updated_at tstz NN`,
  b2c_product_variant_images: `id int NN, variant_id int NN, image_url text NN, thumbnail_url text,
    alt_text varchar(255), display_order int NN, is_main bool NN, created_at tstz NN`,
  b2c_product_attributes: `id int NN, product_id int NN, attribute_id int NN, is_enabled bool NN, is_required bool NN,
    custom_values jsonb, created_at tstz NN, updated_at tstz NN`,
  b2c_favorites: 'user_id int NN, product_id int NN, created_at ts NN',
  b2c_inventory_movements: `id int NN, storefront_product_id int NN, variant_id int, type varchar(20) NN,
    quantity int NN, reason varchar(50) NN, order_id int, notes text, user_id int NN, created_at tstz NN`,
  unified_attributes: `id int NN, code varchar(100) NN, name varchar(100) NN, display_name varchar(200) NN,
    attribute_type varchar(50) NN, purpose varchar(20) NN, options jsonb, validation_rules jsonb, ui_settings jsonb,
    is_searchable bool, is_filterable bool, is_required bool, affects_stock bool, affects_price bool, sort_order int,
    is_active bool, created_at ts, updated_at ts, legacy_category_attribute_id int,
    legacy_product_variant_attribute_id int, search_vector tsvector, is_variant_compatible bool, icon varchar(255),
    show_in_card bool`,
  unified_category_attributes: `id int NN, category_id int NN, attribute_id int NN, is_enabled bool, is_required bool,
    sort_order int, category_specific_options jsonb, created_at ts, updated_at ts`,
  unified_attribute_values: `id int NN, entity_type varchar(50) NN, entity_id int NN, attribute_id int NN,
    text_value text, numeric_value numeric, boolean_value bool, date_value date, json_value jsonb, created_at ts,
    updated_at ts`,
  unified_geo: `id bigint NN, source_type geo_source_type NN, source_id bigint NN, location geography NN,
    geohash varchar(12) NN, formatted_address text, created_at tstz NN, updated_at tstz NN,
    privacy_level location_privacy_level, original_location geography, blur_radius_meters int`,
  translations: `id int NN, entity_type varchar(50) NN, entity_id int NN, language varchar(10) NN,
    field_name varchar(50) NN, translated_text text NN, is_machine_translated bool, is_verified bool, created_at ts,
    updated_at ts, metadata jsonb, version int, last_modified_by int`,
};

/** `information_schema.columns` rendered in the notation above, one row per column, in physical order. */
export const ACTUAL_COLUMNS_SQL = `
  SELECT table_name,
    string_agg(column_name || ' ' || CASE data_type
        WHEN 'integer' THEN 'int' WHEN 'boolean' THEN 'bool'
        WHEN 'timestamp without time zone' THEN 'ts' WHEN 'timestamp with time zone' THEN 'tstz'
        WHEN 'character varying' THEN 'varchar(' || character_maximum_length || ')'
        WHEN 'character' THEN 'char(' || character_maximum_length || ')'
        WHEN 'numeric' THEN coalesce('numeric(' || numeric_precision || ',' || numeric_scale || ')', 'numeric')
        WHEN 'USER-DEFINED' THEN udt_name
        ELSE data_type END || CASE is_nullable WHEN 'NO' THEN ' NN' ELSE '' END,
      ', ' ORDER BY ordinal_position) AS columns
  FROM information_schema.columns
  WHERE table_schema = 'public' AND table_name = ANY($1)
  GROUP BY table_name`;

export function normalise(columns: string): string {
  return columns.replace(/\s+/g, ' ').trim();
}
