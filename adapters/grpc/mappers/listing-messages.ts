/**
 * Listing-family entities → proto messages. Unlike the original (which never filled them), `images`,
 * `attributes`, `tags` and `location` carry the listing's side rows when the use case read them (ListingDetails).
 * `variants` (legacy ListingVariant) stays empty: those RPCs are answered UNIMPLEMENTED (src/listings/legacy-variants.md).
 */
import type { ListingImage } from '../../../src/domain/image.ts';
import type { Listing, ListingAttribute, ListingDetails } from '../../../src/domain/listing.ts';
import type { ListingLocation } from '../../../src/domain/location.ts';
import type {
  ListingAttribute as ListingAttributeMessage,
  ListingImage as ListingImageMessage,
  ListingLocation as ListingLocationMessage,
  Listing as ListingMessage,
} from '../generated/listings/v1/listings.ts';
import { toOptionalRfc3339, toRfc3339, toWireAmount, unset } from './wire-values.ts';

function isDetails(listing: Listing | ListingDetails): listing is ListingDetails {
  return 'images' in listing && 'attributeEntries' in listing;
}

/** A listing row (with its side rows when given) → `Listing`; the DB's `view_count` is the message's `views_count`. */
export function toListingMessage(listing: Listing | ListingDetails): ListingMessage {
  const details = isDetails(listing) ? listing : undefined;
  return {
    id: listing.id,
    uuid: listing.uuid,
    userId: listing.userId,
    storefrontId: unset(listing.storefrontId),
    title: listing.title,
    description: unset(listing.description),
    price: toWireAmount(listing.price),
    currency: listing.currency,
    categoryId: listing.categoryId,
    status: listing.status,
    visibility: listing.visibility,
    quantity: listing.quantity,
    sku: unset(listing.sku),
    viewsCount: listing.viewCount,
    favoritesCount: listing.favoritesCount,
    createdAt: toRfc3339(listing.createdAt),
    updatedAt: toRfc3339(listing.updatedAt),
    publishedAt: toOptionalRfc3339(listing.publishedAt),
    deletedAt: toOptionalRfc3339(listing.deletedAt),
    isDeleted: listing.isDeleted,
    images: details?.images.map(toListingImageMessage) ?? [],
    attributes: details?.attributeEntries.map(toListingAttributeMessage) ?? [],
    tags: details ? [...details.tags] : [],
    location: details?.location ? toListingLocationMessage(details.location) : undefined,
    variants: [],
  };
}

export function toListingImageMessage(image: ListingImage): ListingImageMessage {
  return {
    id: image.id,
    listingId: image.listingId,
    url: image.url,
    storagePath: unset(image.storagePath),
    thumbnailUrl: unset(image.thumbnailUrl),
    displayOrder: image.displayOrder,
    isPrimary: image.isPrimary,
    width: unset(image.width),
    height: unset(image.height),
    fileSize: unset(image.fileSize),
    mimeType: unset(image.mimeType),
    createdAt: toRfc3339(image.createdAt),
    updatedAt: toRfc3339(image.updatedAt),
  };
}

/** A `listing_attributes` row; a NULL value is sent as "" (the field is a plain proto3 string). */
export function toListingAttributeMessage(attribute: ListingAttribute): ListingAttributeMessage {
  return {
    id: attribute.id,
    listingId: attribute.listingId,
    attributeKey: attribute.key,
    attributeValue: attribute.value ?? '',
    createdAt: toRfc3339(attribute.createdAt),
  };
}

export function toListingLocationMessage(location: ListingLocation): ListingLocationMessage {
  return {
    id: location.id,
    listingId: location.listingId,
    country: unset(location.country),
    city: unset(location.city),
    postalCode: unset(location.postalCode),
    addressLine1: unset(location.addressLine1),
    addressLine2: unset(location.addressLine2),
    latitude: unset(location.latitude),
    longitude: unset(location.longitude),
    createdAt: toRfc3339(location.createdAt),
    updatedAt: toRfc3339(location.updatedAt),
  };
}
