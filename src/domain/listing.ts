/**
 * A listing: one row of `listings` (original-service.md §5.2), C2C (no storefront) or B2C (a storefront's product),
 * with its side rows (§5.3) and a `version` for optimistic concurrency and index ordering.
 *
 * Soft delete sets both `is_deleted` and `deleted_at` (the original set one or the other, so deleted products stayed
 * visible); every read filters on `is_deleted = false`.
 */
import type { AttributeMap } from './attributes.ts';
import { checkAttributes, EMPTY_ATTRIBUTES } from './attributes.ts';
import { type CurrencyCode, checkCurrency } from './currency.ts';
import type { ListingImage } from './image.ts';
import {
  type ListingStatus,
  SOURCE_TYPES,
  type SourceType,
  sourceTypeFor,
  VISIBILITIES,
  type Visibility,
} from './listing-status.ts';
import { DEFAULT_LOCATION_PRIVACY, type ListingLocation, type LocationPrivacy } from './location.ts';
import { checkAmount, type MinorUnits } from './money.ts';
import { nextListingStockStatus, type StockStatus } from './stock-status.ts';
import {
  checkEntityId,
  checkInt,
  checkOneOf,
  checkOptionalText,
  checkPositiveIdField,
  checkTitle,
  TITLE_RULES,
  Violations,
} from './validation.ts';

export interface Listing {
  readonly id: number;
  /** UUID v4, unique. */
  readonly uuid: string;
  /** Owner; for products, the storefront's owner. */
  readonly userId: number;
  /** Set ⇔ `sourceType` is `b2c`. */
  readonly storefrontId: number | null;
  readonly title: string;
  readonly description: string | null;
  readonly price: MinorUnits;
  readonly currency: CurrencyCode;
  readonly categoryId: number;
  readonly status: ListingStatus;
  readonly visibility: Visibility;
  readonly quantity: number;
  readonly sku: string | null;
  /** New column: the original never stored the barcode it accepted. */
  readonly barcode: string | null;
  /** DB column `view_count`; the Listing message calls it `views_count`. */
  readonly viewCount: number;
  readonly favoritesCount: number;
  readonly soldCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** When the listing last went live (set on each transition into `active`). */
  readonly publishedAt: Date | null;
  readonly deletedAt: Date | null;
  readonly isDeleted: boolean;
  readonly sourceType: SourceType;
  readonly attributes: AttributeMap;
  readonly stockStatus: StockStatus | null;
  readonly hasIndividualLocation: boolean;
  readonly individualAddress: string | null;
  readonly individualLatitude: number | null;
  readonly individualLongitude: number | null;
  readonly locationPrivacy: LocationPrivacy | null;
  readonly showOnMap: boolean;
  readonly hasVariants: boolean;
  /** 1 on insert, +1 on every update; the expected version of an update and the external version of the index. */
  readonly version: number;
}

/** `listing_attributes` row (the Listing message's `attributes`). */
export interface ListingAttribute {
  readonly id: number;
  readonly listingId: number;
  readonly key: string;
  readonly value: string | null;
  readonly createdAt: Date;
}

/** A listing with its side rows, as GetListing and the index document need it. */
export interface ListingDetails extends Listing {
  /** Sorted primary first, then display order, then id. */
  readonly images: readonly ListingImage[];
  readonly attributeEntries: readonly ListingAttribute[];
  readonly tags: readonly string[];
  readonly location: ListingLocation | null;
}

/** A row to insert: everything but the generated id; the repository stores `version` 1. */
export type NewListing = Omit<Listing, 'id' | 'version'>;

/** Listings allow longer descriptions than products (5000); this bounds a row that is cached and indexed. */
export const LISTING_DESCRIPTION_MAX = 10_000;

export interface CreateListingInput {
  readonly userId: number;
  readonly storefrontId?: number | null;
  readonly title: string;
  readonly description?: string | null;
  /** Wire double or decimal string. */
  readonly price: number | string;
  readonly currency: string;
  readonly categoryId: number;
  readonly quantity: number;
  readonly sku?: string | null;
  /** REST callers send it; it must agree with `storefrontId`, which decides. */
  readonly sourceType?: string | null;
  readonly visibility?: string | null;
  readonly attributes?: unknown;
}

export interface CreateContext {
  readonly uuid: string;
  readonly now: Date;
}

/**
 * Validates CreateListing (every problem reported at once) and builds the row: status `draft`, `c2c` unless a
 * storefront is given, stock status from the quantity. Quantity 0 is allowed (the original rejected it).
 * Whether the category exists is the use case's lookup (see {@link categoryNotFound}).
 */
export function validateCreateListing(input: CreateListingInput, context: CreateContext): NewListing {
  const v = new Violations();
  const userId = checkPositiveIdField(v, 'user_id', input.userId);
  const storefrontId =
    input.storefrontId == null ? null : checkEntityId(v, 'storefront_id', 'storefront', input.storefrontId);
  const title = checkTitle(v, 'title', input.title, { ...TITLE_RULES, emptyMessage: 'title is required' });
  const description = checkOptionalText(v, 'description', input.description, { max: LISTING_DESCRIPTION_MAX });
  const price = checkAmount(v, 'price', input.price, { sign: 'positive' });
  const currency = checkCurrency(v, 'currency', input.currency);
  const categoryId = checkPositiveIdField(v, 'category_id', input.categoryId);
  const quantity = checkInt(v, 'quantity', input.quantity);
  const sku = checkOptionalText(v, 'sku', input.sku, { max: 100, trim: true });
  const visibility = input.visibility == null ? 'public' : checkOneOf(v, 'visibility', input.visibility, VISIBILITIES);
  const attributes = input.attributes == null ? EMPTY_ATTRIBUTES : checkAttributes(v, 'attributes', input.attributes);
  const sourceType = sourceTypeFor(storefrontId ?? null);
  if (input.sourceType != null && input.sourceType !== '') {
    const given = checkOneOf(v, 'source_type', input.sourceType, SOURCE_TYPES);
    if (given !== undefined && given !== sourceType) {
      v.add('source_type', 'conflict', 'source_type must be b2c when storefront_id is set and c2c when it is not');
    }
  }
  v.throwIfAny();
  return {
    uuid: context.uuid,
    userId: userId!,
    storefrontId: storefrontId ?? null,
    title: title!,
    description: description ?? null,
    price: price!,
    currency: currency!,
    categoryId: categoryId!,
    status: 'draft',
    visibility: visibility!,
    quantity: quantity!,
    sku: sku ?? null,
    barcode: null,
    viewCount: 0,
    favoritesCount: 0,
    soldCount: 0,
    createdAt: context.now,
    updatedAt: context.now,
    publishedAt: null,
    deletedAt: null,
    isDeleted: false,
    sourceType,
    attributes: attributes!,
    stockStatus: nextListingStockStatus(null, quantity!, sourceType),
    hasIndividualLocation: false,
    individualAddress: null,
    individualLatitude: null,
    individualLongitude: null,
    locationPrivacy: DEFAULT_LOCATION_PRIVACY,
    showOnMap: true,
    hasVariants: false,
  };
}

/** The `category not found` violation (the original's text), for use cases after their category lookup. */
export function categoryNotFound(field = 'category_id') {
  return { field, reason: 'not_found', message: 'category not found' } as const;
}

/** What public search shows: active, public, not deleted. The index holds these rows and no others. */
export function isSearchable(listing: Pick<Listing, 'status' | 'visibility' | 'isDeleted'>): boolean {
  return listing.status === 'active' && listing.visibility === 'public' && !listing.isDeleted;
}
