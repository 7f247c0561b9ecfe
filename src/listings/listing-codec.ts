import type { ListingImage } from '../domain/image.ts';
import type { ListingAttribute, ListingDetails } from '../domain/listing.ts';
import type { ListingLocation } from '../domain/location.ts';

/**
 * A listing (with its side rows) as compact JSON and back, for the cache and for stored idempotent responses.
 * Dates travel as ISO text and are revived by name, field by field: a generic "ends in At" reviver would also turn
 * a user's attribute value into a Date.
 */
export function encodeListing(listing: ListingDetails): string {
  return JSON.stringify(listing);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function date(value: unknown): Date {
  const parsed = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(parsed.getTime())) throw new TypeError('not a date');
  return parsed;
}

function optionalDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : date(value);
}

function array(value: unknown): Json[] {
  if (!Array.isArray(value) || !value.every(isObject)) throw new TypeError('not an array of objects');
  return value;
}

/** The listing, or undefined when `text` is not an encoding of one (a cache treats that as a miss). */
export function decodeListing(text: string): ListingDetails | undefined {
  try {
    const raw: unknown = JSON.parse(text);
    if (!isObject(raw) || typeof raw.id !== 'number' || typeof raw.version !== 'number') return undefined;
    const images = array(raw.images).map(
      (image) => ({ ...image, createdAt: date(image.createdAt), updatedAt: date(image.updatedAt) }) as ListingImage,
    );
    const attributeEntries = array(raw.attributeEntries).map(
      (entry) => ({ ...entry, createdAt: date(entry.createdAt) }) as ListingAttribute,
    );
    const location = isObject(raw.location)
      ? ({
          ...raw.location,
          createdAt: date(raw.location.createdAt),
          updatedAt: date(raw.location.updatedAt),
        } as ListingLocation)
      : null;
    return {
      ...raw,
      createdAt: date(raw.createdAt),
      updatedAt: date(raw.updatedAt),
      publishedAt: optionalDate(raw.publishedAt),
      deletedAt: optionalDate(raw.deletedAt),
      images,
      attributeEntries,
      location,
    } as unknown as ListingDetails;
  } catch {
    return undefined;
  }
}
