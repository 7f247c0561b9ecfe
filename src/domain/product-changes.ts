/**
 * UpdateProduct / BulkUpdateProducts input → validated listing-row values, in the product's field names.
 * Every proto field is honoured (the original ignored sku, barcode, currency and category). `is_active` maps to
 * `status`: true → active, false → inactive; the transition rules of `listing-status.ts` still apply.
 */
import { checkAttributes } from './attributes.ts';
import { checkCurrency } from './currency.ts';
import { emptyUpdateError, type ListingUpdate } from './listing-changes.ts';
import { checkLatitude, checkLocationPrivacy, checkLongitude } from './location.ts';
import { checkAmount } from './money.ts';
import { PRODUCT_DESCRIPTION_MAX } from './product.ts';
import {
  checkBoolean,
  checkEntityId,
  checkInt,
  checkOptionalText,
  checkTitle,
  TITLE_RULES,
  Violations,
} from './validation.ts';

/** Present fields of UpdateProductRequest / ProductUpdateInput (plus stock, which the original's mask named). */
export interface ProductPatchInput {
  readonly name?: string;
  readonly description?: string | null;
  readonly price?: number | string;
  readonly currency?: string;
  readonly categoryId?: number;
  readonly sku?: string | null;
  readonly barcode?: string | null;
  readonly isActive?: boolean;
  readonly stockQuantity?: number;
  readonly attributes?: unknown;
  readonly hasIndividualLocation?: boolean;
  readonly individualAddress?: string | null;
  readonly individualLatitude?: number | null;
  readonly individualLongitude?: number | null;
  readonly locationPrivacy?: string | null;
  readonly showOnMap?: boolean;
  readonly hasVariants?: boolean;
}

/**
 * Checks the present fields into `v` and returns the update (undefined for invalid fields). An empty patch is
 * the caller's concern (see {@link parseProductPatch}).
 */
export function checkProductPatch(v: Violations, patch: ProductPatchInput): ListingUpdate {
  const update: { -readonly [K in keyof ListingUpdate]: ListingUpdate[K] } = {};
  if (patch.name !== undefined) {
    update.title = checkTitle(v, 'name', patch.name, { ...TITLE_RULES, emptyMessage: 'product name cannot be empty' });
  }
  if (patch.description !== undefined) {
    update.description = checkOptionalText(v, 'description', patch.description, { max: PRODUCT_DESCRIPTION_MAX });
  }
  if (patch.price !== undefined) update.price = checkAmount(v, 'price', patch.price, { sign: 'positive' });
  if (patch.currency !== undefined) update.currency = checkCurrency(v, 'currency', patch.currency);
  if (patch.categoryId !== undefined) {
    update.categoryId = checkEntityId(v, 'category_id', 'category', patch.categoryId);
  }
  if (patch.sku !== undefined) update.sku = checkOptionalText(v, 'sku', patch.sku, { max: 100, trim: true });
  if (patch.barcode !== undefined) {
    update.barcode = checkOptionalText(v, 'barcode', patch.barcode, { max: 100, trim: true });
  }
  if (patch.isActive !== undefined) {
    const active = checkBoolean(v, 'is_active', patch.isActive);
    if (active !== undefined) update.status = active ? 'active' : 'inactive';
  }
  if (patch.stockQuantity !== undefined) update.quantity = checkInt(v, 'stock_quantity', patch.stockQuantity);
  if (patch.attributes !== undefined) update.attributes = checkAttributes(v, 'attributes', patch.attributes ?? {});
  if (patch.hasIndividualLocation !== undefined) {
    update.hasIndividualLocation = checkBoolean(v, 'has_individual_location', patch.hasIndividualLocation);
  }
  if (patch.individualAddress !== undefined) {
    update.individualAddress = checkOptionalText(v, 'individual_address', patch.individualAddress, {
      max: 1000,
      trim: true,
    });
  }
  if (patch.individualLatitude !== undefined) {
    update.individualLatitude = checkLatitude(v, 'individual_latitude', patch.individualLatitude);
  }
  if (patch.individualLongitude !== undefined) {
    update.individualLongitude = checkLongitude(v, 'individual_longitude', patch.individualLongitude);
  }
  if (patch.locationPrivacy !== undefined) {
    const privacy = checkLocationPrivacy(
      v,
      'location_privacy',
      patch.locationPrivacy === '' ? null : patch.locationPrivacy,
    );
    // Clearing resets to the column default rather than storing NULL, so every row has a privacy to apply.
    update.locationPrivacy = privacy === null ? 'exact' : privacy;
  }
  if (patch.showOnMap !== undefined) update.showOnMap = checkBoolean(v, 'show_on_map', patch.showOnMap);
  if (patch.hasVariants !== undefined) update.hasVariants = checkBoolean(v, 'has_variants', patch.hasVariants);
  return update;
}

/** UpdateProduct: needs ≥ 1 field (`products.no_fields_to_update`); every problem at once. */
export function parseProductPatch(patch: ProductPatchInput): ListingUpdate {
  if (Object.values(patch).every((value) => value === undefined)) {
    throw emptyUpdateError('products.no_fields_to_update');
  }
  const v = new Violations();
  const update = checkProductPatch(v, patch);
  v.throwIfAny(
    v.items.some((item) => item.field === 'attributes' || item.field.startsWith('attributes.'))
      ? 'products.invalid_attributes'
      : undefined,
  );
  return update;
}
