/**
 * UpdateProductVariant's `update_mask` (the original ignored it): proto names (`stock_quantity`) or
 * lowerCamelCase (`stockQuantity`). No or an empty mask applies every present field; a mask applies only the
 * present fields it names; an unknown path is a violation. Same rules as product-mask.ts for products.
 */
import type { VariantPatchInput } from '../domain/product-variant.ts';
import { Violations } from '../domain/validation.ts';

type VariantPatchKey = keyof VariantPatchInput;

const VARIANT_MASK_PATHS: Readonly<Record<string, VariantPatchKey>> = {
  sku: 'sku',
  barcode: 'barcode',
  price: 'price',
  compare_at_price: 'compareAtPrice',
  cost_price: 'costPrice',
  stock_quantity: 'stockQuantity',
  low_stock_threshold: 'lowStockThreshold',
  variant_attributes: 'variantAttributes',
  weight: 'weight',
  dimensions: 'dimensions',
  is_active: 'isActive',
  is_default: 'isDefault',
};

export function applyVariantMask(
  patch: VariantPatchInput,
  paths: readonly string[] | null | undefined,
): VariantPatchInput {
  if (paths == null || paths.length === 0) return patch;
  const v = new Violations();
  const result: Record<string, unknown> = {};
  for (const raw of paths) {
    const path = raw.trim().replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    const key = Object.hasOwn(VARIANT_MASK_PATHS, path) ? VARIANT_MASK_PATHS[path] : undefined;
    if (key === undefined) v.add('update_mask', 'unknown_value', `unknown field mask path: ${raw}`);
    else if (patch[key] !== undefined) result[key] = patch[key];
  }
  v.throwIfAny();
  return result as VariantPatchInput;
}
