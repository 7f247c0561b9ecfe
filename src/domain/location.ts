/**
 * Where a listing is: the `listing_locations` side row (C2C listings) and the product's own
 * `individual_*` columns (B2C), plus how precisely it may be shown (`location_privacy`).
 */
import { checkOptionalText, type Violations } from './validation.ts';

export const LOCATION_PRIVACIES = ['exact', 'approximate', 'hidden'] as const;
export type LocationPrivacy = (typeof LOCATION_PRIVACIES)[number];
export const DEFAULT_LOCATION_PRIVACY: LocationPrivacy = 'exact';

/** `listing_locations` row; coordinates in decimal degrees (WGS 84). */
export interface ListingLocation {
  readonly id: number;
  readonly listingId: number;
  readonly country: string | null;
  readonly city: string | null;
  readonly postalCode: string | null;
  readonly addressLine1: string | null;
  readonly addressLine2: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type ListingLocationInput = Omit<ListingLocation, 'id' | 'listingId' | 'createdAt' | 'updatedAt'>;

function checkCoordinate(v: Violations, field: string, value: unknown, limit: number): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    v.add(field, 'not_a_number', `${field} must be a number`);
    return undefined;
  }
  if (value < -limit || value > limit) {
    v.add(field, 'out_of_range', `${field} must be between -${limit} and ${limit}`);
    return undefined;
  }
  return value;
}

/** −90..90; `undefined` = not provided, `null` = cleared. */
export function checkLatitude(v: Violations, field: string, value: unknown): number | null | undefined {
  return checkCoordinate(v, field, value, 90);
}

/** −180..180; `undefined` = not provided, `null` = cleared. */
export function checkLongitude(v: Violations, field: string, value: unknown): number | null | undefined {
  return checkCoordinate(v, field, value, 180);
}

/** `location_privacy ∈ {exact, approximate, hidden}`; `null`/`undefined` pass through. */
export function checkLocationPrivacy(v: Violations, field: string, value: unknown): LocationPrivacy | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string' && (LOCATION_PRIVACIES as readonly string[]).includes(value)) {
    return value as LocationPrivacy;
  }
  v.add(field, 'unknown_value', `${field} must be one of: ${LOCATION_PRIVACIES.join(', ')}`);
  return undefined;
}

/** A latitude without a longitude (or the reverse) cannot be placed on a map. */
export function checkCoordinatePair(
  v: Violations,
  fields: { readonly latitude: string; readonly longitude: string },
  latitude: number | null | undefined,
  longitude: number | null | undefined,
): void {
  // An invalid coordinate is already reported; do not also call it missing.
  if (v.has(fields.latitude) || v.has(fields.longitude)) return;
  if ((latitude ?? null) === null && (longitude ?? null) !== null) {
    v.add(fields.latitude, 'required', `${fields.latitude} is required when ${fields.longitude} is set`);
  }
  if ((longitude ?? null) === null && (latitude ?? null) !== null) {
    v.add(fields.longitude, 'required', `${fields.longitude} is required when ${fields.latitude} is set`);
  }
}

/** The side-row location; column sizes from the schema (country, city 100; postal code 20). */
export function checkListingLocation(v: Violations, field: string, input: Partial<ListingLocationInput>) {
  const at = (name: string) => `${field}.${name}`;
  const latitude = checkLatitude(v, at('latitude'), input.latitude);
  const longitude = checkLongitude(v, at('longitude'), input.longitude);
  checkCoordinatePair(v, { latitude: at('latitude'), longitude: at('longitude') }, latitude, longitude);
  const location: ListingLocationInput = {
    country: checkOptionalText(v, at('country'), input.country, { max: 100, trim: true }) ?? null,
    city: checkOptionalText(v, at('city'), input.city, { max: 100, trim: true }) ?? null,
    postalCode: checkOptionalText(v, at('postal_code'), input.postalCode, { max: 20, trim: true }) ?? null,
    addressLine1: checkOptionalText(v, at('address_line1'), input.addressLine1, { max: 1000, trim: true }) ?? null,
    addressLine2: checkOptionalText(v, at('address_line2'), input.addressLine2, { max: 1000, trim: true }) ?? null,
    latitude: latitude ?? null,
    longitude: longitude ?? null,
  };
  return location;
}
