/**
 * A product is a `listings` row with `source_type='b2c'`, seen through the Product message's names:
 * `name` ↔ title, `stock_quantity` ↔ quantity, `is_active` ↔ status = active, `description` "" ↔ NULL.
 *
 * Creation honours every field (the original ignored `is_active` and `has_variants`): `is_active=true` creates an
 * `active`, published product; `is_active=false` creates a `draft` (never shown, publishable later). The owner
 * (`user_id`) is the storefront's owner, looked up by the use case.
 */
import { checkAttributes, EMPTY_ATTRIBUTES } from './attributes.ts';
import { checkCurrency } from './currency.ts';
import { AppError } from './errors.ts';
import type { Listing, NewListing } from './listing.ts';
import {
  checkCoordinatePair,
  checkLatitude,
  checkLocationPrivacy,
  checkLongitude,
  DEFAULT_LOCATION_PRIVACY,
} from './location.ts';
import { checkAmount } from './money.ts';
import type { ProductVariant } from './product-variant.ts';
import { nextListingStockStatus } from './stock-status.ts';
import { checkEntityId, checkInt, checkOptionalText, checkTitle, TITLE_RULES, Violations } from './validation.ts';

export const PRODUCT_DESCRIPTION_MAX = 5000;

export interface Product {
  readonly id: number;
  readonly storefrontId: number;
  readonly userId: number;
  readonly name: string;
  /** "" when the row has none. */
  readonly description: string;
  readonly price: Listing['price'];
  readonly currency: Listing['currency'];
  readonly categoryId: number;
  readonly sku: string | null;
  readonly barcode: string | null;
  readonly stockQuantity: number;
  readonly stockStatus: NonNullable<Listing['stockStatus']>;
  readonly isActive: boolean;
  /** The full lifecycle status behind `isActive`. */
  readonly status: Listing['status'];
  readonly attributes: Listing['attributes'];
  readonly viewCount: number;
  readonly soldCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly hasIndividualLocation: boolean;
  readonly individualAddress: string | null;
  readonly individualLatitude: number | null;
  readonly individualLongitude: number | null;
  readonly locationPrivacy: Listing['locationPrivacy'];
  readonly showOnMap: boolean;
  readonly hasVariants: boolean;
  readonly variants: readonly ProductVariant[];
  readonly version: number;
}

/** Views a b2c row as a product; a c2c row is not a product (PRODUCT_NOT_FOUND, `products.not_found`). */
export function productFromListing(listing: Listing, variants: readonly ProductVariant[] = []): Product {
  if (listing.sourceType !== 'b2c' || listing.storefrontId === null || listing.isDeleted) throw productNotFound();
  return {
    id: listing.id,
    storefrontId: listing.storefrontId,
    userId: listing.userId,
    name: listing.title,
    description: listing.description ?? '',
    price: listing.price,
    currency: listing.currency,
    categoryId: listing.categoryId,
    sku: listing.sku,
    barcode: listing.barcode,
    stockQuantity: listing.quantity,
    stockStatus: listing.stockStatus ?? nextListingStockStatus(null, listing.quantity, 'b2c'),
    isActive: listing.status === 'active',
    status: listing.status,
    attributes: listing.attributes,
    viewCount: listing.viewCount,
    soldCount: listing.soldCount,
    createdAt: listing.createdAt,
    updatedAt: listing.updatedAt,
    hasIndividualLocation: listing.hasIndividualLocation,
    individualAddress: listing.individualAddress,
    individualLatitude: listing.individualLatitude,
    individualLongitude: listing.individualLongitude,
    locationPrivacy: listing.locationPrivacy,
    showOnMap: listing.showOnMap,
    hasVariants: listing.hasVariants,
    variants,
    version: listing.version,
  };
}

export function productNotFound(productId?: number): AppError {
  return new AppError('PRODUCT_NOT_FOUND', 'product not found', {
    reason: 'products.not_found',
    ...(productId === undefined ? {} : { details: { productId } }),
  });
}

/** CreateProductRequest / ProductInput. */
export interface ProductInput {
  readonly name: string;
  readonly description?: string | null;
  readonly price: number | string;
  readonly currency: string;
  readonly categoryId: number;
  readonly sku?: string | null;
  readonly barcode?: string | null;
  readonly stockQuantity: number;
  readonly isActive: boolean;
  readonly attributes?: unknown;
  readonly hasIndividualLocation?: boolean;
  readonly individualAddress?: string | null;
  readonly individualLatitude?: number | null;
  readonly individualLongitude?: number | null;
  readonly locationPrivacy?: string | null;
  readonly showOnMap?: boolean;
  readonly hasVariants?: boolean;
}

export interface ProductContext {
  readonly storefrontId: number;
  /** `storefronts.user_id`. */
  readonly ownerUserId: number;
  readonly uuid: string;
  readonly now: Date;
}

/**
 * Checks one product input into `v` (field names as in ProductInput) and returns the row, or undefined when
 * something is invalid. Bulk create calls it per item and re-homes the violations with `atIndex`.
 */
export function checkProductInput(v: Violations, input: ProductInput, context: ProductContext): NewListing | undefined {
  const before = v.items.length;
  const name = checkTitle(v, 'name', input.name, { ...TITLE_RULES, emptyMessage: 'product name cannot be empty' });
  const description = checkOptionalText(v, 'description', input.description, { max: PRODUCT_DESCRIPTION_MAX });
  const price = checkAmount(v, 'price', input.price, { sign: 'positive' });
  const currency = checkCurrency(v, 'currency', input.currency);
  const categoryId = checkEntityId(v, 'category_id', 'category', input.categoryId);
  const sku = checkOptionalText(v, 'sku', input.sku, { max: 100, trim: true });
  const barcode = checkOptionalText(v, 'barcode', input.barcode, { max: 100, trim: true });
  const quantity = checkInt(v, 'stock_quantity', input.stockQuantity);
  const attributes = input.attributes == null ? EMPTY_ATTRIBUTES : checkAttributes(v, 'attributes', input.attributes);
  const address = checkOptionalText(v, 'individual_address', input.individualAddress, { max: 1000, trim: true });
  const latitude = checkLatitude(v, 'individual_latitude', input.individualLatitude);
  const longitude = checkLongitude(v, 'individual_longitude', input.individualLongitude);
  checkCoordinatePair(v, { latitude: 'individual_latitude', longitude: 'individual_longitude' }, latitude, longitude);
  const privacy = checkLocationPrivacy(
    v,
    'location_privacy',
    input.locationPrivacy === '' ? null : input.locationPrivacy,
  );
  if (v.items.length > before) return undefined;
  const active = input.isActive === true;
  return {
    uuid: context.uuid,
    userId: context.ownerUserId,
    storefrontId: context.storefrontId,
    title: name!,
    description: description ?? null,
    price: price!,
    currency: currency!,
    categoryId: categoryId!,
    status: active ? 'active' : 'draft',
    visibility: 'public',
    quantity: quantity!,
    sku: sku ?? null,
    barcode: barcode ?? null,
    viewCount: 0,
    favoritesCount: 0,
    soldCount: 0,
    createdAt: context.now,
    updatedAt: context.now,
    publishedAt: active ? context.now : null,
    deletedAt: null,
    isDeleted: false,
    sourceType: 'b2c',
    attributes: attributes!,
    stockStatus: nextListingStockStatus(null, quantity!, 'b2c'),
    hasIndividualLocation: input.hasIndividualLocation === true,
    individualAddress: address ?? null,
    individualLatitude: latitude ?? null,
    individualLongitude: longitude ?? null,
    locationPrivacy: privacy ?? DEFAULT_LOCATION_PRIVACY,
    showOnMap: input.showOnMap ?? true,
    hasVariants: input.hasVariants === true,
  };
}

/** CreateProduct: every problem at once, one VALIDATION_FAILED. */
export function validateCreateProduct(input: ProductInput, context: ProductContext): NewListing {
  const v = new Violations();
  checkEntityId(v, 'storefront_id', 'storefront', context.storefrontId);
  const row = checkProductInput(v, input, context);
  v.throwIfAny();
  return row!;
}
