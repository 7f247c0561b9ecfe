import type { AttributeMap } from '../../src/domain/attributes.ts';
import { asCurrency } from '../../src/domain/currency.ts';
import type { Listing, ListingAttribute, NewListing } from '../../src/domain/listing.ts';
import type { ListingUpdate } from '../../src/domain/listing-changes.ts';
import type { ListingStatus, SourceType, Visibility } from '../../src/domain/listing-status.ts';
import type { ListingLocation, ListingLocationInput, LocationPrivacy } from '../../src/domain/location.ts';
import { fromDecimalString, type MinorUnits, toDecimalString } from '../../src/domain/money.ts';
import type { StockStatus } from '../../src/domain/stock-status.ts';

/**
 * `listings` rows and their side rows (`listing_attributes`, `listing_tags`, `listing_locations`) ↔ domain types.
 * Names are mapped one by one, never by a generic snake/camel conversion: `view_count` is `viewCount` (the original
 * read a `views_count` column that does not exist and broke every read, flaw #3). Values arrive as described in
 * value-parsers.ts: BIGINT → number, NUMERIC → exact string, timestamps → Date.
 */
export interface ListingRow {
  readonly id: number;
  readonly uuid: string;
  readonly user_id: number;
  readonly storefront_id: number | null;
  readonly title: string;
  readonly description: string | null;
  readonly price: string;
  readonly currency: string;
  readonly category_id: number;
  readonly status: string;
  readonly visibility: string;
  readonly quantity: number;
  readonly sku: string | null;
  readonly barcode: string | null;
  readonly view_count: number;
  readonly favorites_count: number;
  readonly sold_count: number;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly published_at: Date | null;
  readonly deleted_at: Date | null;
  readonly is_deleted: boolean;
  readonly source_type: string;
  readonly attributes: AttributeMap | null;
  readonly stock_status: string | null;
  readonly has_individual_location: boolean | null;
  readonly individual_address: string | null;
  readonly individual_latitude: string | null;
  readonly individual_longitude: string | null;
  readonly location_privacy: string | null;
  readonly show_on_map: boolean | null;
  readonly has_variants: boolean | null;
  readonly version: number;
}

function optionalNumber(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

export function toListing(row: ListingRow): Listing {
  return {
    id: row.id,
    uuid: row.uuid,
    userId: row.user_id,
    storefrontId: row.storefront_id,
    title: row.title,
    description: row.description,
    price: fromDecimalString(row.price),
    currency: asCurrency(row.currency),
    categoryId: row.category_id,
    status: row.status as ListingStatus,
    visibility: row.visibility as Visibility,
    quantity: row.quantity,
    sku: row.sku,
    barcode: row.barcode,
    viewCount: row.view_count,
    favoritesCount: row.favorites_count,
    soldCount: row.sold_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    deletedAt: row.deleted_at,
    isDeleted: row.is_deleted,
    sourceType: row.source_type as SourceType,
    attributes: row.attributes ?? {},
    stockStatus: row.stock_status as StockStatus | null,
    hasIndividualLocation: row.has_individual_location ?? false,
    individualAddress: row.individual_address,
    individualLatitude: optionalNumber(row.individual_latitude),
    individualLongitude: optionalNumber(row.individual_longitude),
    locationPrivacy: row.location_privacy as LocationPrivacy | null,
    showOnMap: row.show_on_map ?? true,
    hasVariants: row.has_variants ?? false,
    version: row.version,
  };
}

type Writer = (value: never) => unknown;
const same: Writer = (value) => value;
const money: Writer = (value: MinorUnits) => toDecimalString(value);
// Bound as text: both drivers would turn a JS object or array into a PostgreSQL array literal, not JSON.
const json: Writer = (value: AttributeMap | null) => (value === null ? null : JSON.stringify(value));

/** Every writable column of a listing: domain field → column and how its value is bound. */
const WRITABLE: Readonly<Record<keyof ListingUpdate, readonly [string, Writer]>> = {
  title: ['title', same],
  description: ['description', same],
  price: ['price', money],
  currency: ['currency', same],
  categoryId: ['category_id', same],
  quantity: ['quantity', same],
  sku: ['sku', same],
  barcode: ['barcode', same],
  status: ['status', same],
  visibility: ['visibility', same],
  attributes: ['attributes', json],
  hasIndividualLocation: ['has_individual_location', same],
  individualAddress: ['individual_address', same],
  individualLatitude: ['individual_latitude', same],
  individualLongitude: ['individual_longitude', same],
  locationPrivacy: ['location_privacy', same],
  showOnMap: ['show_on_map', same],
  hasVariants: ['has_variants', same],
  publishedAt: ['published_at', same],
  stockStatus: ['stock_status', same],
};

/** The columns of an update; fields that are `undefined` are not written. */
export function listingUpdateColumns(update: ListingUpdate): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(update)) {
    const target = WRITABLE[field as keyof ListingUpdate];
    if (target === undefined || value === undefined) continue;
    columns[target[0]] = target[1](value as never);
  }
  return columns;
}

/**
 * The columns of an insert. `version` is left to its default (1) and `updated_at` to the database's now; the row's
 * `createdAt` is kept (the use case's clock, or a migrated row's original time).
 */
export function listingInsertColumns(row: NewListing): Record<string, unknown> {
  return {
    ...listingUpdateColumns(row),
    uuid: row.uuid,
    user_id: row.userId,
    storefront_id: row.storefrontId,
    view_count: row.viewCount,
    favorites_count: row.favoritesCount,
    sold_count: row.soldCount,
    created_at: row.createdAt,
    deleted_at: row.deletedAt,
    is_deleted: row.isDeleted,
    source_type: row.sourceType,
  };
}

export interface AttributeRow {
  readonly id: number;
  readonly listing_id: number;
  readonly attribute_key: string;
  readonly attribute_value: string | null;
  readonly created_at: Date;
}

export function toListingAttribute(row: AttributeRow): ListingAttribute {
  return {
    id: row.id,
    listingId: row.listing_id,
    key: row.attribute_key,
    value: row.attribute_value,
    createdAt: row.created_at,
  };
}

export interface TagRow {
  readonly listing_id: number;
  readonly tag: string;
}

export interface LocationRow {
  readonly id: number;
  readonly listing_id: number;
  readonly country: string | null;
  readonly city: string | null;
  readonly postal_code: string | null;
  readonly address_line1: string | null;
  readonly address_line2: string | null;
  readonly latitude: string | null;
  readonly longitude: string | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export function toListingLocation(row: LocationRow): ListingLocation {
  return {
    id: row.id,
    listingId: row.listing_id,
    country: row.country,
    city: row.city,
    postalCode: row.postal_code,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    latitude: optionalNumber(row.latitude),
    longitude: optionalNumber(row.longitude),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function locationColumns(location: ListingLocationInput): Record<string, unknown> {
  return {
    country: location.country,
    city: location.city,
    postal_code: location.postalCode,
    address_line1: location.addressLine1,
    address_line2: location.addressLine2,
    latitude: location.latitude,
    longitude: location.longitude,
  };
}
