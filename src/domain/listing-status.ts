/**
 * The listing lifecycle and the other enumerations of a `listings` row (original-service.md §3.6).
 *
 * The original had no transition rules at all. The table below is the replacement's:
 *
 * | from     | to                          | why                                                            |
 * |----------|-----------------------------|----------------------------------------------------------------|
 * | draft    | active, archived            | publish, or give up before publishing                          |
 * | active   | inactive, sold, archived    | pause, mark sold, retire                                       |
 * | inactive | active, archived            | resume, retire                                                 |
 * | sold     | active, archived            | relist (restocked, buyer backed out), retire                   |
 * | archived | (none)                      | terminal: archived rows are history; create a new listing      |
 *
 * Setting a status to the value it already has is not a transition and is always allowed (a no-op).
 * Nothing goes back to `draft`: once published, a listing has been visible to buyers.
 */
import { AppError } from './errors.ts';

export const LISTING_STATUSES = ['draft', 'active', 'inactive', 'sold', 'archived'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

export const VISIBILITIES = ['public', 'private', 'unlisted'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** `b2c` ⇔ the row has a storefront (it is a product); `c2c` ⇔ it has none. */
export const SOURCE_TYPES = ['c2c', 'b2c'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const ALLOWED_TRANSITIONS: Readonly<Record<ListingStatus, readonly ListingStatus[]>> = {
  draft: ['active', 'archived'],
  active: ['inactive', 'sold', 'archived'],
  inactive: ['active', 'archived'],
  sold: ['active', 'archived'],
  archived: [],
};

export function isListingStatus(value: unknown): value is ListingStatus {
  return typeof value === 'string' && (LISTING_STATUSES as readonly string[]).includes(value);
}

export function isVisibility(value: unknown): value is Visibility {
  return typeof value === 'string' && (VISIBILITIES as readonly string[]).includes(value);
}

export function canTransition(from: ListingStatus, to: ListingStatus): boolean {
  return from === to || ALLOWED_TRANSITIONS[from].includes(to);
}

/** Throws INVALID_STATE (reason `listings.invalid_status_transition`) for a move the table does not allow. */
export function assertTransition(from: ListingStatus, to: ListingStatus): void {
  if (canTransition(from, to)) return;
  throw new AppError('INVALID_STATE', `cannot change status from ${from} to ${to}`, {
    reason: 'listings.invalid_status_transition',
    details: { from, to, allowed: ALLOWED_TRANSITIONS[from] },
  });
}

export function sourceTypeFor(storefrontId: number | null): SourceType {
  return storefrontId === null ? 'c2c' : 'b2c';
}
