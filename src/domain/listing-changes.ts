/**
 * Partial updates of a listing row, shared by UpdateListing, UpdateProduct, BulkUpdateProducts and REST.
 *
 * Two steps: a parser turns a request's present fields into validated {@link ListingUpdate} values (each driver has
 * its own field names: `title`/`quantity`/`status` for listings, `name`/`stock_quantity`/`is_active` for products),
 * then {@link applyListingChanges} checks the status transition, stamps `published_at`, recomputes `stock_status`
 * and keeps only what really differs from the current row.
 *
 * `published_at` is stamped on every transition into `active` from another status (first publication and each
 * relisting), not when an active listing is "set active" again: it answers "since when is this live", which is what
 * freshness sorting needs. The original stamped it on every update that carried `status=active`.
 */
import { type AttributeMap, checkAttributes, sameAttributes } from './attributes.ts';
import { checkCurrency } from './currency.ts';
import { AppError } from './errors.ts';
import type { Listing } from './listing.ts';
import { LISTING_DESCRIPTION_MAX } from './listing.ts';
import { assertTransition, LISTING_STATUSES, VISIBILITIES } from './listing-status.ts';
import { checkAmount } from './money.ts';
import { nextListingStockStatus } from './stock-status.ts';
import {
  checkEntityId,
  checkInt,
  checkOneOf,
  checkOptionalText,
  checkTitle,
  TITLE_RULES,
  Violations,
} from './validation.ts';

/** Columns an update may write. `publishedAt` and `stockStatus` are derived by {@link applyListingChanges}. */
export type ListingUpdate = Partial<
  Pick<
    Listing,
    | 'title'
    | 'description'
    | 'price'
    | 'currency'
    | 'categoryId'
    | 'quantity'
    | 'sku'
    | 'barcode'
    | 'status'
    | 'visibility'
    | 'attributes'
    | 'hasIndividualLocation'
    | 'individualAddress'
    | 'individualLatitude'
    | 'individualLongitude'
    | 'locationPrivacy'
    | 'showOnMap'
    | 'hasVariants'
    | 'publishedAt'
    | 'stockStatus'
  >
>;

export type ListingUpdateField = keyof ListingUpdate;

export interface AppliedChanges {
  /** Only the columns whose value differs from the current row, plus derived ones. Empty = nothing to write. */
  readonly update: ListingUpdate;
  readonly changed: readonly ListingUpdateField[];
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    return sameAttributes(a as AttributeMap, b as AttributeMap);
  }
  return Object.is(a, b);
}

/**
 * Applies validated values to `current`: INVALID_STATE for a forbidden status change
 * (`listings.invalid_status_transition`), LISTING_NOT_FOUND for a deleted row.
 */
export function applyListingChanges(current: Listing, requested: ListingUpdate, now: Date): AppliedChanges {
  if (current.isDeleted) throw new AppError('LISTING_NOT_FOUND', 'listing not found');
  const update: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(requested)) {
    if (value === undefined || key === 'publishedAt' || key === 'stockStatus') continue;
    if (!same(current[key as ListingUpdateField], value)) update[key] = value;
  }
  if (requested.status !== undefined && requested.status !== current.status) {
    assertTransition(current.status, requested.status);
    if (requested.status === 'active') update.publishedAt = now;
  }
  const quantity = (update.quantity as number | undefined) ?? current.quantity;
  const stockStatus = nextListingStockStatus(current.stockStatus, quantity, current.sourceType);
  if (stockStatus !== current.stockStatus && update.quantity !== undefined) update.stockStatus = stockStatus;
  return { update: update as ListingUpdate, changed: Object.keys(update) as ListingUpdateField[] };
}

/** UpdateListing (and REST PUT) input: present fields only. */
export interface ListingPatchInput {
  readonly title?: string;
  readonly description?: string | null;
  readonly price?: number | string;
  readonly quantity?: number;
  readonly status?: string;
  readonly visibility?: string;
  readonly currency?: string;
  readonly categoryId?: number;
  readonly sku?: string | null;
  readonly attributes?: unknown;
}

export const EMPTY_UPDATE_MESSAGE = 'at least one field must be provided for update';

/** The whole-request violation (field `""`) for an update without fields. */
export function emptyUpdateError(reason?: string): AppError {
  return new AppError('VALIDATION_FAILED', EMPTY_UPDATE_MESSAGE, {
    violations: [{ field: '', reason: 'empty_update', message: EMPTY_UPDATE_MESSAGE }],
    ...(reason === undefined ? {} : { reason }),
  });
}

/**
 * Validates UpdateListing's present fields with the original's texts (`at least one field must be provided for
 * update`, `title cannot be empty`, `invalid status: <s>`); every problem is reported at once.
 */
export function parseListingPatch(patch: ListingPatchInput): ListingUpdate {
  const present = Object.entries(patch).filter(([, value]) => value !== undefined);
  if (present.length === 0) throw emptyUpdateError();
  const v = new Violations();
  const update: { -readonly [K in keyof ListingUpdate]: ListingUpdate[K] } = {};
  if (patch.title !== undefined) {
    update.title = checkTitle(v, 'title', patch.title, { ...TITLE_RULES, emptyMessage: 'title cannot be empty' });
  }
  if (patch.description !== undefined) {
    update.description = checkOptionalText(v, 'description', patch.description, { max: LISTING_DESCRIPTION_MAX });
  }
  if (patch.price !== undefined) update.price = checkAmount(v, 'price', patch.price, { sign: 'positive' });
  if (patch.quantity !== undefined) update.quantity = checkInt(v, 'quantity', patch.quantity);
  if (patch.status !== undefined) update.status = checkOneOf(v, 'status', patch.status, LISTING_STATUSES);
  if (patch.visibility !== undefined) update.visibility = checkOneOf(v, 'visibility', patch.visibility, VISIBILITIES);
  if (patch.currency !== undefined) update.currency = checkCurrency(v, 'currency', patch.currency);
  if (patch.categoryId !== undefined) {
    update.categoryId = checkEntityId(v, 'category_id', 'category', patch.categoryId);
  }
  if (patch.sku !== undefined) update.sku = checkOptionalText(v, 'sku', patch.sku, { max: 100, trim: true });
  if (patch.attributes !== undefined) update.attributes = checkAttributes(v, 'attributes', patch.attributes ?? {});
  v.throwIfAny();
  return update;
}
