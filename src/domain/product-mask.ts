/**
 * Field masks of UpdateProduct and BulkUpdateProducts.
 *
 * The original's BulkUpdate mask used column names (`title`, `quantity`, `status`, ...); the proto names (`name`,
 * `stock_quantity`, `is_active`, ...) are accepted as well, and so are the JSON mapping's lowerCamelCase spellings
 * (`stockQuantity`). `stock_status` is accepted for old callers and ignored: it is computed from the stock.
 *
 * Semantics: no mask, or an empty one, applies every present field (the original's rule). A mask applies only the
 * present fields it names; a path naming a field the request did not set is ignored (proto3 cannot tell "clear"
 * from "unset" for these fields, so clearing through the mask is not offered). An unknown path is a violation.
 */
import type { ProductPatchInput } from './product-changes.ts';
import { Violations } from './validation.ts';

type PatchKey = keyof ProductPatchInput;

/** Every accepted path (snake_case), mapped to the patch field it selects; null = accepted and ignored. */
export const MASK_PATHS: Readonly<Record<string, PatchKey | null>> = {
  name: 'name',
  title: 'name',
  description: 'description',
  price: 'price',
  currency: 'currency',
  category_id: 'categoryId',
  sku: 'sku',
  barcode: 'barcode',
  is_active: 'isActive',
  status: 'isActive',
  stock_quantity: 'stockQuantity',
  quantity: 'stockQuantity',
  attributes: 'attributes',
  has_individual_location: 'hasIndividualLocation',
  individual_address: 'individualAddress',
  individual_latitude: 'individualLatitude',
  individual_longitude: 'individualLongitude',
  location_privacy: 'locationPrivacy',
  show_on_map: 'showOnMap',
  has_variants: 'hasVariants',
  stock_status: null,
};

function toSnakeCase(path: string): string {
  return path.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Resolves mask paths to patch fields; unknown paths → VALIDATION_FAILED on `update_mask`. */
export function resolveMaskPaths(paths: readonly string[], field = 'update_mask'): Set<PatchKey> {
  const v = new Violations();
  const selected = new Set<PatchKey>();
  for (const raw of paths) {
    const path = toSnakeCase(raw.trim());
    if (!Object.hasOwn(MASK_PATHS, path)) {
      v.add(field, 'unknown_value', `unknown field mask path: ${raw}`);
      continue;
    }
    const key = MASK_PATHS[path];
    if (key) selected.add(key);
  }
  v.throwIfAny();
  return selected;
}

/** The patch restricted to the mask (see the module comment for the rules). */
export function applyUpdateMask(
  patch: ProductPatchInput,
  paths: readonly string[] | null | undefined,
  field = 'update_mask',
): ProductPatchInput {
  if (paths == null || paths.length === 0) return patch;
  const selected = resolveMaskPaths(paths, field);
  const result: Record<string, unknown> = {};
  for (const key of selected) {
    if (patch[key] !== undefined) result[key] = patch[key];
  }
  return result as ProductPatchInput;
}
