import type { ListingImage } from '../../../src/domain/image.ts';
import type { Listing, ListingDetails } from '../../../src/domain/listing.ts';
import type { ListingLocation } from '../../../src/domain/location.ts';
import { type MinorUnits, toWireNumber } from '../../../src/domain/money.ts';
import { compact, type Json, timestampOf } from './compact.ts';

/** Money on the wire: the double nearest the exact decimal (`1001` minor units → `10.01`). */
export function moneyOf(amount: MinorUnits | null): number | null {
  return amount === null ? null : toWireNumber(amount);
}

/**
 * A listing as REST JSON (original-service.md §4, "Listing JSON"). `views_count` is the row's `view_count`
 * (flaw #3). `attributes` is the listing's attribute object (what POST/PATCH write) merged with the
 * `listing_attributes` rows, a row winning for a key in both, as in the search document (the original emitted
 * neither: a name clash).
 * A plain row without side data (a delete's answer) maps the same way, with no relations.
 */
export function listingJson(listing: Listing | ListingDetails): Json {
  const details = 'images' in listing ? listing : undefined;
  return compact({
    id: listing.id,
    uuid: listing.uuid,
    user_id: listing.userId,
    storefront_id: listing.storefrontId,
    title: listing.title,
    description: listing.description,
    price: moneyOf(listing.price),
    currency: listing.currency,
    category_id: listing.categoryId,
    status: listing.status,
    visibility: listing.visibility,
    quantity: listing.quantity,
    sku: listing.sku,
    source_type: listing.sourceType,
    stock_status: listing.stockStatus,
    views_count: listing.viewCount,
    favorites_count: listing.favoritesCount,
    created_at: timestampOf(listing.createdAt),
    updated_at: timestampOf(listing.updatedAt),
    published_at: timestampOf(listing.publishedAt),
    deleted_at: timestampOf(listing.deletedAt),
    is_deleted: listing.isDeleted,
    images: details?.images.map(imageJson),
    tags: details?.tags,
    location: details?.location ? locationJson(details.location) : null,
    attributes: attributesOf(listing, details),
    version: listing.version,
  });
}

function attributesOf(listing: Listing, details: ListingDetails | undefined): Json {
  const merged: Json = {};
  for (const entry of details?.attributeEntries ?? []) merged[entry.key] = entry.value;
  return { ...listing.attributes, ...merged };
}

/** An image's metadata; the object-storage key is internal and never sent. */
export function imageJson(image: ListingImage): Json {
  return compact({
    id: image.id,
    listing_id: image.listingId,
    url: image.url,
    storage_path: image.storagePath,
    thumbnail_url: image.thumbnailUrl,
    thumbnails: image.thumbnails,
    display_order: image.displayOrder,
    is_primary: image.isPrimary,
    width: image.width,
    height: image.height,
    file_size: image.fileSize,
    mime_type: image.mimeType,
    created_at: timestampOf(image.createdAt),
    updated_at: timestampOf(image.updatedAt),
  });
}

export function locationJson(location: ListingLocation): Json {
  return compact({
    id: location.id,
    listing_id: location.listingId,
    country: location.country,
    city: location.city,
    postal_code: location.postalCode,
    address_line1: location.addressLine1,
    address_line2: location.addressLine2,
    latitude: location.latitude,
    longitude: location.longitude,
    created_at: timestampOf(location.createdAt),
    updated_at: timestampOf(location.updatedAt),
  });
}
