/**
 * The one builder of search documents, shared by the indexing worker and the reindex command (flaw #6), so every
 * document has the same shape whoever wrote it.
 *
 * - Only searchable listings (active, public, not deleted) get a document; for any other the caller removes it.
 * - Attributes: the `listing_attributes` rows (C2C) and the `listings.attributes` JSONB (products) flattened into
 *   one key/value list (flaw #5); a key present in both keeps the row's value. Null values are left out.
 * - Location: the product's own coordinates when it has them (flaw #7), else the `listing_locations` row, checked
 *   with null checks so 0.0 is a coordinate. `location_privacy` decides what is indexed: `exact` the point,
 *   `approximate` the point rounded to 2 decimals (about 1 km), `hidden` none. City and country are coarse and
 *   kept whatever the privacy.
 */
import type { GeoPoint, SearchAttribute, SearchDocument } from '../../ports/search-index.ts';
import { isSearchable, type ListingDetails } from '../domain/listing.ts';
import { DEFAULT_LOCATION_PRIVACY } from '../domain/location.ts';

/** Decimal places an approximate location keeps: 0.01° is about 1.1 km north-south. */
export const APPROXIMATE_LOCATION_DECIMALS = 2;

/** The document of a listing, or null when the listing must not be in the index. */
export function buildSearchDocument(listing: ListingDetails): SearchDocument | null {
  if (!isSearchable(listing)) return null;
  return {
    id: listing.id,
    uuid: listing.uuid,
    version: listing.version,
    title: listing.title,
    description: listing.description,
    price: listing.price,
    currency: listing.currency,
    categoryId: listing.categoryId,
    status: listing.status,
    visibility: listing.visibility,
    sourceType: listing.sourceType,
    userId: listing.userId,
    storefrontId: listing.storefrontId,
    quantity: listing.quantity,
    sku: listing.sku,
    stockStatus: listing.stockStatus,
    attributes: searchAttributes(listing),
    tags: [...new Set(listing.tags)],
    location: indexedLocation(listing),
    city: listing.location?.city ?? null,
    country: listing.location?.country ?? null,
    images: listing.images.map((image) => ({
      url: image.url,
      thumbnailUrl: image.thumbnailUrl,
      thumbnails: image.thumbnails,
      isPrimary: image.isPrimary,
      displayOrder: image.displayOrder,
    })),
    viewCount: listing.viewCount,
    favoritesCount: listing.favoritesCount,
    createdAt: listing.createdAt,
    updatedAt: listing.updatedAt,
    publishedAt: listing.publishedAt,
  };
}

function searchAttributes(listing: ListingDetails): SearchAttribute[] {
  const values = new Map<string, string>();
  for (const entry of listing.attributeEntries) {
    if (entry.value !== null && !values.has(entry.key)) values.set(entry.key, entry.value);
  }
  for (const [key, value] of Object.entries(listing.attributes)) {
    if (value !== null && !values.has(key)) values.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return [...values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => ({ key, value }));
}

function indexedLocation(listing: ListingDetails): GeoPoint | null {
  const point = rawLocation(listing);
  if (point === null) return null;
  const privacy = listing.locationPrivacy ?? DEFAULT_LOCATION_PRIVACY;
  if (privacy === 'hidden') return null;
  if (privacy === 'approximate') return { lat: round(point.lat), lon: round(point.lon) };
  return point;
}

function rawLocation(listing: ListingDetails): GeoPoint | null {
  const { individualLatitude: lat, individualLongitude: lon } = listing;
  if (listing.hasIndividualLocation && lat !== null && lon !== null) return searchablePoint(lat, lon);
  const row = listing.location;
  if (row !== null && row.latitude !== null && row.longitude !== null)
    return searchablePoint(row.latitude, row.longitude);
  return null;
}

/**
 * Columns without a range check hold impossible coordinates (the monolith's numeric(10,8) admits ±99.99999999
 * latitude). Such a point is left out of the document, so the listing is still found by text and filters, instead
 * of the whole document being refused by the engine and dead-lettered. Zero is a real coordinate (flaw #7): kept.
 */
function searchablePoint(lat: number, lon: number): GeoPoint | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return null;
  return { lat, lon };
}

function round(degrees: number): number {
  const factor = 10 ** APPROXIMATE_LOCATION_DECIMALS;
  return Math.round(degrees * factor) / factor;
}
