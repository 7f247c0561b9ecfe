/**
 * Rules across a product's variants: the parent, the one default, the last active variant, batch limits.
 *
 * Default: a product with variants has exactly one default. A new variant asking for it takes it; otherwise the
 * existing default stays; with none, the lowest id becomes the default. Unsetting the default moves it to the
 * lowest other id (a lone variant stays default). Deleting the default promotes the lowest remaining id.
 * Each function returns the id that must be the default afterwards (null when no variant remains); the repository
 * writes `is_default = (id = <that id>)` for the whole product in one statement.
 *
 * Last active variant: deactivating it is refused (INVALID_STATE, `variants.last_variant`); deleting the last
 * variant is allowed and clears the product's `has_variants`.
 */
import { AppError } from './errors.ts';
import type { Listing } from './listing.ts';
import type { VariantInput } from './product-variant.ts';

export interface VariantState {
  readonly id: number;
  readonly isDefault: boolean;
  readonly isActive: boolean;
}

export const MAX_BULK_VARIANTS = 1000;

function lowestId(variants: readonly VariantState[]): number | null {
  return variants.reduce<number | null>((low, variant) => (low === null || variant.id < low ? variant.id : low), null);
}

function currentDefault(variants: readonly VariantState[]): number | null {
  return lowestId(variants.filter((variant) => variant.isDefault));
}

/** After inserting `created` (ids assigned) next to `existing`. */
export function defaultAfterCreate(
  existing: readonly VariantState[],
  created: readonly { readonly id: number; readonly requestedDefault: boolean }[],
): number | null {
  const requested = created.find((variant) => variant.requestedDefault);
  if (requested) return requested.id;
  const all = [...existing, ...created.map((variant) => ({ id: variant.id, isDefault: false, isActive: true }))];
  return currentDefault(existing) ?? lowestId(all);
}

/** After UpdateProductVariant set (or left unset) `is_default` on `variantId`. */
export function defaultAfterUpdate(
  variants: readonly VariantState[],
  variantId: number,
  isDefault: boolean | undefined,
): number | null {
  if (isDefault === true) return variantId;
  const current = currentDefault(variants) ?? lowestId(variants);
  if (isDefault === false && current === variantId) {
    return lowestId(variants.filter((variant) => variant.id !== variantId)) ?? variantId;
  }
  return current;
}

/** After deleting `deletedId` from `variants` (the list before the delete). */
export function defaultAfterDelete(variants: readonly VariantState[], deletedId: number): number | null {
  const remaining = variants.filter((variant) => variant.id !== deletedId);
  return currentDefault(remaining) ?? lowestId(remaining);
}

/** INVALID_STATE `variants.last_variant` when `variantId` is the product's only active variant. */
export function assertCanDeactivate(productId: number, variants: readonly VariantState[], variantId: number): void {
  const target = variants.find((variant) => variant.id === variantId);
  if (!target?.isActive) return;
  if (variants.some((variant) => variant.id !== variantId && variant.isActive)) return;
  throw new AppError('INVALID_STATE', `cannot deactivate the last active variant of product ${productId}`, {
    reason: 'variants.last_variant',
    details: { productId, variantId },
  });
}

/**
 * The parent of a variant write: a live b2c row, not archived (`variants.product_not_found`), with
 * `has_variants` (`variants.product_no_variants`). The original also required `active`; a draft product may now
 * get its variants before it is published.
 */
export function assertVariantParent(
  productId: number,
  product: Pick<Listing, 'sourceType' | 'isDeleted' | 'status' | 'hasVariants'> | null,
): void {
  if (product === null || product.sourceType !== 'b2c' || product.isDeleted || product.status === 'archived') {
    throw new AppError('PRODUCT_NOT_FOUND', `product ${productId} not found`, {
      reason: 'variants.product_not_found',
      details: { productId },
    });
  }
  if (!product.hasVariants) {
    throw new AppError('INVALID_STATE', `product ${productId} does not have variants enabled`, {
      reason: 'variants.product_no_variants',
      details: { productId },
    });
  }
}

export function variantNotFound(variantId: number): AppError {
  return new AppError('VARIANT_NOT_FOUND', `variant not found: ${variantId}`, {
    reason: 'variants.not_found',
    details: { variantId },
  });
}

function batchError(reason: string, word: 'required' | 'too_many' | 'conflict', message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, {
    reason,
    violations: [{ field: 'variants', reason: word, message }],
  });
}

/** BulkCreateProductVariants: 1..1000 items, at most one `is_default`. */
export function checkVariantBatch(inputs: readonly Pick<VariantInput, 'isDefault'>[]): void {
  if (inputs.length === 0) throw batchError('variants.bulk_empty', 'required', 'variants list cannot be empty');
  if (inputs.length > MAX_BULK_VARIANTS) {
    throw batchError(
      'variants.bulk_too_many',
      'too_many',
      `cannot create more than ${MAX_BULK_VARIANTS} variants at once`,
    );
  }
  if (inputs.filter((input) => input.isDefault === true).length > 1) {
    throw batchError('variants.multiple_defaults', 'conflict', 'at most one variant may be the default');
  }
}
