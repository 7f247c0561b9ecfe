/** `listing_locations` (§3.7): one row per listing, from the C2C address columns or a B2C individual location. */
import { isJsonObject, parseJson, stringifyJson } from './json-text.ts';
import { characterLength } from './listing-rules.ts';
import type { IssueLog } from './mapping-result.ts';
import type { SourceB2cProductRow, SourceC2cListingRow, TargetListingLocationRow, UtcTimestampText } from './types.ts';

/** Target column widths of listing_locations. */
const WIDTHS = { country: 100, city: 100, postal_code: 20 } as const;

/** PostgreSQL's `->>`: strings as they are, other JSON values as JSON text, JSON null and absent keys as NULL. */
function textOf(object: Record<string, unknown> | null, key: string): string | null {
  if (object === null || !Object.hasOwn(object, key)) return null;
  const value = object[key];
  if (value === null) return null;
  return typeof value === 'string' ? value : stringifyJson(value);
}

/** An optional value longer than its column: NULL with FIELD_TOO_LONG (the raw value stays in `_monolith`). */
function fitted(value: string | null, field: keyof typeof WIDTHS, log: IssueLog): string | null {
  if (value === null || characterLength(value) <= WIDTHS[field]) return value;
  log.repair('FIELD_TOO_LONG', `location.${field}`, value);
  return null;
}

/** Flags coordinates outside ±90/±180 or exactly (0, 0) (Q14); they are stored verbatim. */
export function flagCoordinates(latitude: string | null, longitude: string | null, log: IssueLog): void {
  if (latitude === null || longitude === null) return;
  const lat = Number(latitude);
  const lon = Number(longitude);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    log.notice('COORDINATES_OUT_OF_RANGE', 'coordinates', `${latitude},${longitude}`);
  } else if (lat === 0 && lon === 0) {
    log.notice('COORDINATES_ZERO', 'coordinates', `${latitude},${longitude}`);
  }
}

interface ListingTimes {
  readonly created_at: UtcTimestampText;
  readonly updated_at: UtcTimestampText;
}

/** C2C: a row when any address column is set; country/city fall back to address_multilingual (_sr, then _en). */
export function c2cLocation(
  row: SourceC2cListingRow,
  times: ListingTimes,
  log: IssueLog,
): TargetListingLocationRow | null {
  const anySet =
    row.latitude !== null ||
    row.longitude !== null ||
    row.location !== null ||
    row.address_city !== null ||
    row.address_country !== null ||
    row.address_multilingual !== null;
  if (!anySet) return null;
  const parsed = row.address_multilingual === null ? null : parseJson(row.address_multilingual);
  const multilingual = isJsonObject(parsed) ? parsed : null;
  const fromMultilingual = (own: string | null, field: 'country' | 'city'): string | null => {
    if (own !== null) return own;
    const value = textOf(multilingual, `${field}_sr`) ?? textOf(multilingual, `${field}_en`);
    if (value !== null) log.repair('LOCATION_FROM_MULTILINGUAL', `location.${field}`, null);
    return value;
  };
  flagCoordinates(row.latitude, row.longitude, log);
  return {
    listing_id: row.id,
    country: fitted(fromMultilingual(row.address_country, 'country'), 'country', log),
    city: fitted(fromMultilingual(row.address_city, 'city'), 'city', log),
    postal_code: fitted(textOf(multilingual, 'postal_code'), 'postal_code', log),
    address_line1: row.location,
    address_line2: null,
    latitude: row.latitude,
    longitude: row.longitude,
    created_at: times.created_at,
    updated_at: times.updated_at,
  };
}

/** B2C: a row only for an individual location with an address or both coordinates (the store's is the fallback). */
export function b2cLocation(
  row: SourceB2cProductRow,
  times: ListingTimes,
  log: IssueLog,
): TargetListingLocationRow | null {
  const hasCoordinates = row.individual_latitude !== null && row.individual_longitude !== null;
  if (row.has_individual_location !== true || (row.individual_address === null && !hasCoordinates)) return null;
  flagCoordinates(row.individual_latitude, row.individual_longitude, log);
  return {
    listing_id: row.id,
    country: null,
    city: null,
    postal_code: null,
    address_line1: row.individual_address,
    address_line2: null,
    latitude: row.individual_latitude,
    longitude: row.individual_longitude,
    created_at: times.created_at,
    updated_at: times.updated_at,
  };
}
