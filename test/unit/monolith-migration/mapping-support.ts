/** Row builders and a context for the mapping's unit tests: realistic monolith rows, overridable per test. */
import { expect } from 'vitest';
import { DEFAULT_COUNTRY_CODES } from '../../../src/monolith-migration/mapping/country-codes.ts';
import type {
  B2cProductRelated,
  C2cListingRelated,
  Mapped,
  MappingContext,
  MappingOptions,
  MappingResult,
  ParentListing,
  Rejected,
  SourceAttributeValueRow,
  SourceB2cProductImageRow,
  SourceB2cProductRow,
  SourceB2cVariantRow,
  SourceC2cImageRow,
  SourceC2cListingRow,
  SourceCategoryRow,
  SourceGeoRow,
  SourceStoreRow,
} from '../../../src/monolith-migration/mapping/types.ts';

export interface ContextSetup {
  readonly categories?: readonly number[];
  /** store id → owner user id */
  readonly stores?: Readonly<Record<number, number>>;
  readonly attributes?: Readonly<Record<number, string>>;
  readonly options?: Partial<MappingOptions>;
  readonly sourceZone?: string;
  readonly storefrontCountryWidth?: number;
}

export function context(setup: ContextSetup = {}): MappingContext {
  const categories = new Set(setup.categories ?? [10, 11]);
  const stores = new Map(Object.entries(setup.stores ?? { 43: 7 }).map(([k, v]) => [Number(k), v]));
  const attributes = new Map(
    Object.entries(setup.attributes ?? { 1: 'color', 2: 'condition' }).map(([k, v]) => [Number(k), v]),
  );
  return {
    sourceZone: setup.sourceZone ?? 'UTC',
    runTime: '2026-11-25T12:00:00.000000Z',
    options: {
      rejectShortTitle: false,
      priceFallback: null,
      ownerFallback: null,
      categoryFallback: null,
      ...setup.options,
    },
    storefrontCountryWidth: setup.storefrontCountryWidth ?? 2,
    countryCodes: DEFAULT_COUNTRY_CODES,
    categoryExists: (id) => categories.has(id),
    storeOwner: (id) => stores.get(id),
    attributeCode: (id) => attributes.get(id),
  };
}

export const MIGRATED_PARENT: Extract<ParentListing, { state: 'migrated' }> = {
  state: 'migrated',
  id: 1070,
  createdAt: '2025-10-20T17:38:47.121733Z',
};

export function c2cListing(overrides: Partial<SourceC2cListingRow> = {}): SourceC2cListingRow {
  return {
    id: 1070,
    user_id: 5,
    category_id: 10,
    title: 'Телевизор Samsung 55"',
    description: 'Očuvan, 📺 radi odlično',
    price: '35000.00',
    condition: 'used',
    status: 'active',
    location: null,
    latitude: null,
    longitude: null,
    address_city: null,
    address_country: null,
    views_count: 12,
    show_on_map: true,
    original_language: 'sr',
    created_at: '2025-10-20 17:38:47.121733',
    updated_at: '2025-10-21 08:00:00',
    storefront_id: null,
    external_id: null,
    metadata: null,
    needs_reindex: false,
    address_multilingual: null,
    ...overrides,
  };
}

export function c2cRelated(overrides: Partial<C2cListingRelated> = {}): C2cListingRelated {
  return { geo: [], translations: [], variantCount: 0, favoritesCount: 0, unifiedCondition: null, ...overrides };
}

export function b2cProduct(overrides: Partial<SourceB2cProductRow> = {}): SourceB2cProductRow {
  return {
    id: 1071,
    storefront_id: 43,
    name: 'Kafa Grand 200g',
    description: '',
    price: '349.99',
    currency: 'RSD',
    category_id: 11,
    sku: 'KAFA-200',
    barcode: '8600000000017',
    stock_quantity: 40,
    stock_status: 'in_stock',
    is_active: true,
    attributes: '{"weight": "200g"}',
    view_count: 3,
    sold_count: 1,
    created_at: '2025-10-22 09:15:00.5+00',
    updated_at: '2025-10-22 09:15:00.5+00',
    has_individual_location: false,
    individual_address: null,
    individual_latitude: null,
    individual_longitude: null,
    location_privacy: 'exact',
    show_on_map: true,
    has_variants: false,
    ...overrides,
  };
}

export function b2cRelated(overrides: Partial<B2cProductRelated> = {}): B2cProductRelated {
  return { attributeSettings: [], favoritesCount: 0, ...overrides };
}

export function c2cImage(overrides: Partial<SourceC2cImageRow> = {}): SourceC2cImageRow {
  return {
    id: 1,
    listing_id: 1070,
    file_path: 'listings/1070/a.jpg',
    file_name: 'a.jpg',
    file_size: 123_456,
    content_type: 'image/jpeg',
    is_main: false,
    created_at: '2025-10-20 17:40:00',
    storage_type: 'minio',
    storage_bucket: 'listings',
    public_url: 'https://cdn.example/listings/1070/a.jpg',
    display_order: 0,
    ...overrides,
  };
}

export function b2cImage(overrides: Partial<SourceB2cProductImageRow> = {}): SourceB2cProductImageRow {
  return {
    id: 1,
    storefront_product_id: 1071,
    image_url: 'https://cdn.example/p/1.jpg',
    thumbnail_url: 'https://cdn.example/p/1_t.jpg',
    display_order: 0,
    is_default: false,
    created_at: '2025-10-22 09:16:00+00',
    ...overrides,
  };
}

export function b2cVariant(overrides: Partial<SourceB2cVariantRow> = {}): SourceB2cVariantRow {
  return {
    id: 9,
    product_id: 1071,
    sku: 'KAFA-200-X',
    barcode: null,
    price: '349.99',
    compare_at_price: null,
    cost_price: '200.5',
    stock_quantity: 20,
    stock_status: 'in_stock',
    low_stock_threshold: 5,
    variant_attributes: '{"size": "200g"}',
    weight: '0.2',
    dimensions: null,
    is_active: true,
    is_default: true,
    view_count: 0,
    sold_count: 0,
    created_at: '2025-10-22 09:15:00+00',
    updated_at: '2025-10-22 09:15:00+00',
    ...overrides,
  };
}

export function attributeValue(overrides: Partial<SourceAttributeValueRow> = {}): SourceAttributeValueRow {
  return {
    id: 500,
    entity_type: 'listing',
    entity_id: 1070,
    attribute_id: 1,
    text_value: 'crna',
    numeric_value: null,
    boolean_value: null,
    date_value: null,
    json_value: null,
    created_at: '2025-10-20 17:38:47',
    updated_at: '2025-10-20 18:00:00.5',
    ...overrides,
  };
}

export function geoRow(overrides: Partial<SourceGeoRow> = {}): SourceGeoRow {
  return {
    id: '2025',
    source_type: 'c2c_listing',
    source_id: '1070',
    latitude: '44.81780000',
    longitude: '20.45690000',
    geohash: 'srywc0',
    formatted_address: 'Beograd',
    created_at: '2025-10-20 17:38:47+00',
    updated_at: '2025-10-20 17:38:47+00',
    privacy_level: 'exact',
    original_latitude: null,
    original_longitude: null,
    blur_radius_meters: 0,
    ...overrides,
  };
}

export function category(overrides: Partial<SourceCategoryRow> = {}): SourceCategoryRow {
  return {
    id: 10233,
    name: 'Telefoni',
    slug: 'telefoni',
    parent_id: 10,
    icon: null,
    created_at: '2025-01-01 00:00:00',
    has_custom_ui: false,
    custom_ui_component: null,
    sort_order: 0,
    level: 1,
    count: 0,
    external_id: null,
    description: null,
    is_active: true,
    seo_title: null,
    seo_description: null,
    seo_keywords: null,
    ...overrides,
  };
}

export function store(overrides: Partial<SourceStoreRow> = {}): SourceStoreRow {
  return {
    id: 43,
    user_id: 7,
    slug: 'kafeterija',
    name: 'Kafeterija',
    description: null,
    logo_url: null,
    banner_url: null,
    theme: '{"layout": "grid", "primaryColor": "#1976d2"}',
    phone: null,
    email: null,
    website: null,
    address: 'Knez Mihailova 1',
    city: 'Beograd',
    postal_code: '11000',
    country: 'RS',
    latitude: '44.8178',
    longitude: '20.4569',
    settings: '{}',
    seo_meta: '{}',
    is_active: true,
    is_verified: false,
    verification_date: null,
    rating: '4.5',
    reviews_count: 0,
    products_count: 1,
    sales_count: 0,
    views_count: 0,
    subscription_plan: 'starter',
    subscription_expires_at: null,
    commission_rate: '3.00',
    ai_agent_enabled: false,
    ai_agent_config: '{}',
    live_shopping_enabled: false,
    group_buying_enabled: false,
    created_at: '2025-09-01 10:00:00',
    updated_at: '2025-09-01 10:00:00',
    formatted_address: null,
    geo_strategy: 'storefront_location',
    default_privacy_level: 'exact',
    address_verified: false,
    subscription_id: null,
    is_subscription_active: true,
    followers_count: 0,
    ...overrides,
  };
}

export function expectMapped<T>(result: MappingResult<T>): Mapped<T> {
  expect(result.kind, result.kind === 'rejected' ? `${result.code}: ${result.detail}` : '').toBe('mapped');
  return result as Mapped<T>;
}

export function expectRejected<T>(result: MappingResult<T>): Rejected {
  expect(result.kind).toBe('rejected');
  return result as Rejected;
}

export function repairCodes(result: MappingResult<unknown>): string[] {
  return result.kind === 'mapped' ? result.repairs.map((r) => r.code) : [];
}

export function noticeCodes(result: MappingResult<unknown>): string[] {
  return result.kind === 'mapped' ? result.notices.map((r) => r.code) : [];
}

/** `attributes._monolith` of a mapped listing. */
export function monolithOf(attributes: string): Record<string, unknown> {
  return (JSON.parse(attributes) as { _monolith: Record<string, unknown> })._monolith;
}
