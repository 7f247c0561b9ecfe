/**
 * Product and variant request bodies (snake_case, as the schemas declare them) → the use cases' inputs. A member
 * the client left out stays undefined (not changed, for updates); a JSON `null` is passed on (it clears).
 */
import type { ProductInput } from '../../../src/domain/product.ts';
import type { ProductPatchInput } from '../../../src/domain/product-changes.ts';
import type { VariantInput, VariantPatchInput } from '../../../src/domain/product-variant.ts';

export type Body = Record<string, unknown>;

/** Keeps the members that are present. */
function present<T extends Record<string, unknown>>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

function productFields(body: Body) {
  return {
    name: body.name,
    description: body.description,
    price: body.price,
    currency: body.currency,
    categoryId: body.category_id,
    sku: body.sku,
    barcode: body.barcode,
    stockQuantity: body.stock_quantity,
    isActive: body.is_active,
    attributes: body.attributes,
    hasIndividualLocation: body.has_individual_location,
    individualAddress: body.individual_address,
    individualLatitude: body.individual_latitude,
    individualLongitude: body.individual_longitude,
    locationPrivacy: body.location_privacy,
    showOnMap: body.show_on_map,
    hasVariants: body.has_variants,
  };
}

/** A new product; `is_active` defaults to true (the original always created products active). */
export function productInput(body: Body): ProductInput {
  return { ...present(productFields(body)), isActive: body.is_active !== false } as ProductInput;
}

export function productPatch(body: Body): ProductPatchInput & { updateMask?: readonly string[] } {
  return present({
    ...productFields(body),
    updateMask: body.update_mask,
  }) as ProductPatchInput & { updateMask?: readonly string[] };
}

function variantFields(body: Body) {
  return {
    sku: body.sku,
    barcode: body.barcode,
    price: body.price,
    compareAtPrice: body.compare_at_price,
    costPrice: body.cost_price,
    stockQuantity: body.stock_quantity,
    lowStockThreshold: body.low_stock_threshold,
    variantAttributes: body.variant_attributes,
    weight: body.weight,
    dimensions: body.dimensions,
    isDefault: body.is_default,
  };
}

export function variantInput(body: Body): VariantInput {
  return present(variantFields(body)) as unknown as VariantInput;
}

export function variantPatch(body: Body): VariantPatchInput & { updateMask?: readonly string[] } {
  return present({
    ...variantFields(body),
    isActive: body.is_active,
    updateMask: body.update_mask,
  }) as VariantPatchInput & {
    updateMask?: readonly string[];
  };
}
