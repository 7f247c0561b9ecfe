/**
 * A product variant (`b2c_product_variants`): its own SKU, optional price override, stock and attributes.
 *
 * Prices are minor units in the product's currency (the table has no currency column); an unset price means the
 * product's price applies. A variant is created active: `is_active` of the create messages is a plain proto3 bool,
 * so "unset" and "false" look the same, and the original forced true; deactivate through an update.
 * Stock 0 is allowed (the original rejected it).
 */
import { type AttributeMap, checkAttributes, EMPTY_ATTRIBUTES, sameAttributes } from './attributes.ts';
import { checkAmount, type MinorUnits } from './money.ts';
import { computeStockStatus, DEFAULT_LOW_STOCK_THRESHOLD, type VariantStockStatus } from './stock-status.ts';
import { checkBoolean, checkInt, checkOptionalText, Violations } from './validation.ts';

export interface ProductVariant {
  readonly id: number;
  readonly productId: number;
  readonly sku: string | null;
  readonly barcode: string | null;
  readonly price: MinorUnits | null;
  readonly compareAtPrice: MinorUnits | null;
  readonly costPrice: MinorUnits | null;
  readonly stockQuantity: number;
  readonly stockStatus: VariantStockStatus;
  readonly lowStockThreshold: number | null;
  readonly variantAttributes: AttributeMap;
  /** Grams; NUMERIC(10,3). */
  readonly weight: number | null;
  readonly dimensions: AttributeMap | null;
  readonly isActive: boolean;
  readonly isDefault: boolean;
  readonly viewCount: number;
  readonly soldCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A row to insert. `isDefault` is decided afterwards by `variant-defaults.ts`, across the product's variants. */
export type NewVariant = Omit<ProductVariant, 'id' | 'viewCount' | 'soldCount' | 'createdAt' | 'updatedAt'>;

export const MAX_WEIGHT_GRAMS = 9_999_999.999;

/** CreateProductVariantRequest / ProductVariantInput; `isDefault` asks for this variant to be the default. */
export interface VariantInput {
  readonly sku?: string | null;
  readonly barcode?: string | null;
  readonly price?: number | string | null;
  readonly compareAtPrice?: number | string | null;
  readonly costPrice?: number | string | null;
  readonly stockQuantity: number;
  readonly lowStockThreshold?: number | null;
  readonly variantAttributes?: unknown;
  readonly weight?: number | null;
  readonly dimensions?: unknown;
  readonly isDefault?: boolean;
}

function checkWeight(v: Violations, field: string, value: unknown): number | null | undefined {
  if (value == null) return value as null | undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_WEIGHT_GRAMS) {
    v.add(field, 'out_of_range', `${field} must be between 0 and ${MAX_WEIGHT_GRAMS} grams`);
    return undefined;
  }
  return value;
}

function optionalAmount(v: Violations, field: string, value: unknown, sign: 'positive' | 'non_negative') {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return checkAmount(v, field, value, { sign });
}

/** Checks one variant input into `v`; returns the row (with `isDefault` as requested) or undefined. */
export function checkVariantInput(v: Violations, productId: number, input: VariantInput): NewVariant | undefined {
  const before = v.items.length;
  const sku = checkOptionalText(v, 'sku', input.sku, { max: 100, trim: true });
  const barcode = checkOptionalText(v, 'barcode', input.barcode, { max: 100, trim: true });
  const price = optionalAmount(v, 'price', input.price, 'positive');
  const compareAtPrice = optionalAmount(v, 'compare_at_price', input.compareAtPrice, 'positive');
  const costPrice = optionalAmount(v, 'cost_price', input.costPrice, 'non_negative');
  const stockQuantity = checkInt(v, 'stock_quantity', input.stockQuantity);
  const threshold =
    input.lowStockThreshold == null
      ? DEFAULT_LOW_STOCK_THRESHOLD
      : checkInt(v, 'low_stock_threshold', input.lowStockThreshold);
  const attributes =
    input.variantAttributes == null
      ? EMPTY_ATTRIBUTES
      : checkAttributes(v, 'variant_attributes', input.variantAttributes);
  const dimensions = input.dimensions == null ? null : checkAttributes(v, 'dimensions', input.dimensions);
  const weight = checkWeight(v, 'weight', input.weight);
  if (v.items.length > before) return undefined;
  return {
    productId,
    sku: sku ?? null,
    barcode: barcode ?? null,
    price: price ?? null,
    compareAtPrice: compareAtPrice ?? null,
    costPrice: costPrice ?? null,
    stockQuantity: stockQuantity!,
    stockStatus: computeStockStatus(stockQuantity!, threshold!),
    lowStockThreshold: threshold!,
    variantAttributes: attributes!,
    weight: weight ?? null,
    dimensions: dimensions ?? null,
    isActive: true,
    isDefault: input.isDefault === true,
  };
}

/** Why a variant request is invalid, in the original's dotted words. */
function variantReason(v: Violations): string | undefined {
  return v.has('stock_quantity') ? 'variants.invalid_stock_quantity' : undefined;
}

export function validateVariantInput(productId: number, input: VariantInput): NewVariant {
  const v = new Violations();
  const row = checkVariantInput(v, productId, input);
  v.throwIfAny(variantReason(v));
  return row!;
}

export type VariantUpdate = Partial<
  Pick<
    ProductVariant,
    | 'sku'
    | 'barcode'
    | 'price'
    | 'compareAtPrice'
    | 'costPrice'
    | 'stockQuantity'
    | 'stockStatus'
    | 'lowStockThreshold'
    | 'variantAttributes'
    | 'weight'
    | 'dimensions'
    | 'isActive'
    | 'isDefault'
  >
>;

export type VariantPatchInput = Partial<Omit<VariantInput, 'stockQuantity'>> & {
  readonly stockQuantity?: number;
  readonly isActive?: boolean;
};

/**
 * UpdateProductVariant's present fields → values. `isDefault`/`isActive` changes must also pass
 * `variant-defaults.ts` (default re-assignment, last active variant). An empty patch is a violation.
 */
export function parseVariantPatch(patch: VariantPatchInput): VariantUpdate {
  const v = new Violations();
  if (Object.values(patch).every((value) => value === undefined)) {
    v.add('', 'empty_update', 'at least one field must be provided for update');
  }
  const update: { -readonly [K in keyof VariantUpdate]: VariantUpdate[K] } = {};
  if (patch.sku !== undefined) update.sku = checkOptionalText(v, 'sku', patch.sku, { max: 100, trim: true });
  if (patch.barcode !== undefined) {
    update.barcode = checkOptionalText(v, 'barcode', patch.barcode, { max: 100, trim: true });
  }
  if (patch.price !== undefined) update.price = optionalAmount(v, 'price', patch.price, 'positive');
  if (patch.compareAtPrice !== undefined) {
    update.compareAtPrice = optionalAmount(v, 'compare_at_price', patch.compareAtPrice, 'positive');
  }
  if (patch.costPrice !== undefined)
    update.costPrice = optionalAmount(v, 'cost_price', patch.costPrice, 'non_negative');
  if (patch.stockQuantity !== undefined) update.stockQuantity = checkInt(v, 'stock_quantity', patch.stockQuantity);
  if (patch.lowStockThreshold !== undefined) {
    update.lowStockThreshold =
      patch.lowStockThreshold === null ? null : checkInt(v, 'low_stock_threshold', patch.lowStockThreshold);
  }
  if (patch.variantAttributes !== undefined) {
    update.variantAttributes = checkAttributes(v, 'variant_attributes', patch.variantAttributes ?? {});
  }
  if (patch.dimensions !== undefined) {
    update.dimensions = patch.dimensions === null ? null : checkAttributes(v, 'dimensions', patch.dimensions);
  }
  if (patch.weight !== undefined) update.weight = checkWeight(v, 'weight', patch.weight);
  if (patch.isActive !== undefined) update.isActive = checkBoolean(v, 'is_active', patch.isActive);
  if (patch.isDefault !== undefined) update.isDefault = checkBoolean(v, 'is_default', patch.isDefault);
  v.throwIfAny(variantReason(v));
  return update;
}

/** Keeps only what differs from `current` and recomputes `stockStatus` when stock or threshold change. */
export function applyVariantChanges(current: ProductVariant, requested: VariantUpdate): VariantUpdate {
  const update: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(requested)) {
    if (value === undefined || key === 'stockStatus') continue;
    const old = current[key as keyof VariantUpdate];
    const equal =
      typeof value === 'object' && value !== null && typeof old === 'object'
        ? sameAttributes(old as AttributeMap | null, value as AttributeMap)
        : Object.is(old, value);
    if (!equal) update[key] = value;
  }
  const stock = (update.stockQuantity as number | undefined) ?? current.stockQuantity;
  const threshold =
    update.lowStockThreshold === undefined ? current.lowStockThreshold : (update.lowStockThreshold as number | null);
  const status = computeStockStatus(stock, threshold);
  if (status !== current.stockStatus) update.stockStatus = status;
  return update as VariantUpdate;
}
