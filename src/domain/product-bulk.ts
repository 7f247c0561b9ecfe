/**
 * Limits of the product batch RPCs and their per-item errors (BulkOperationError), with the original's texts and
 * dotted codes. A batch that breaks a limit fails as a whole (VALIDATION_FAILED with the dotted `reason`); item
 * problems found later (SKU taken, product missing) are reported per item in an OK reply.
 */
import { AppError } from './errors.ts';
import type { ViolationReason } from './validation.ts';

export const MAX_BULK_PRODUCTS = 1000;
export const MAX_LOOKUP_KEYS = 100;

/** One failed item of a batch reply: `index` is the 0-based input position. */
export interface BulkItemError {
  readonly index: number;
  readonly productId: number | null;
  /** Dotted code, e.g. `products.sku_duplicate`. */
  readonly errorCode: string;
  readonly errorMessage: string;
}

function limitError(field: string, word: ViolationReason, message: string, reason?: string): AppError {
  return new AppError('VALIDATION_FAILED', message, {
    violations: [{ field, reason: word, message }],
    ...(reason === undefined ? {} : { reason }),
  });
}

/** BulkCreateProducts: 1..1000 (`products.bulk_empty`, `products.bulk_too_large`). */
export function checkBulkCreateSize(count: number): void {
  if (count === 0) throw limitError('products', 'required', 'products list cannot be empty', 'products.bulk_empty');
  if (count > MAX_BULK_PRODUCTS) {
    const message = `cannot create more than ${MAX_BULK_PRODUCTS} products at once`;
    throw limitError('products', 'too_many', message, 'products.bulk_too_large');
  }
}

/** BulkUpdateProducts: 0..1000 (`products.bulk_update_limit_exceeded`); an empty batch is an empty OK reply. */
export function checkBulkUpdateSize(count: number): void {
  if (count > MAX_BULK_PRODUCTS) {
    const message = `cannot update more than ${MAX_BULK_PRODUCTS} products at once`;
    throw limitError('updates', 'too_many', message, 'products.bulk_update_limit_exceeded');
  }
}

/** Validates a list of ids (each > 0) and returns them de-duplicated, first occurrence order kept. */
function uniqueIds(field: string, ids: readonly number[]): number[] {
  const bad = ids.findIndex((id) => !Number.isSafeInteger(id) || id <= 0);
  if (bad >= 0) throw limitError(`${field}[${bad}]`, 'must_be_positive', 'product ID must be greater than 0');
  return [...new Set(ids)];
}

/** BulkDeleteProducts: 1..1000 ids, each > 0, de-duplicated (`successful_count` counts rows, not inputs). */
export function checkBulkDeleteIds(ids: readonly number[]): number[] {
  if (ids.length === 0) {
    throw limitError('product_ids', 'required', 'product IDs list cannot be empty', 'products.bulk_empty');
  }
  if (ids.length > MAX_BULK_PRODUCTS) {
    throw limitError('product_ids', 'too_many', `cannot delete more than ${MAX_BULK_PRODUCTS} products at once`);
  }
  return uniqueIds('product_ids', ids);
}

/** GetProductsByIDs: 1..100 ids, each > 0. */
export function checkLookupIds(ids: readonly number[]): number[] {
  if (ids.length === 0) throw limitError('product_ids', 'required', 'product IDs list cannot be empty');
  if (ids.length > MAX_LOOKUP_KEYS) {
    throw limitError('product_ids', 'too_many', `cannot request more than ${MAX_LOOKUP_KEYS} products at once`);
  }
  return uniqueIds('product_ids', ids);
}

/** GetProductsBySKUs: `SKU list cannot be empty`, `cannot request more than 100 SKUs at once`; blanks dropped. */
export function checkSkuList(skus: readonly string[]): string[] {
  if (skus.length === 0) throw limitError('skus', 'required', 'SKU list cannot be empty');
  if (skus.length > MAX_LOOKUP_KEYS) {
    throw limitError('skus', 'too_many', `cannot request more than ${MAX_LOOKUP_KEYS} SKUs at once`);
  }
  const unique = [...new Set(skus.map((sku) => sku.trim()).filter((sku) => sku !== ''))];
  if (unique.length === 0) throw limitError('skus', 'required', 'SKU list cannot be empty');
  return unique;
}

/** For each input index whose SKU repeats an earlier one in the same batch, the index of that earlier one. */
export function duplicateSkusInBatch(skus: readonly (string | null | undefined)[]): Map<number, number> {
  const first = new Map<string, number>();
  const duplicates = new Map<number, number>();
  skus.forEach((sku, index) => {
    const key = sku?.trim();
    if (!key) return;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, index);
    else duplicates.set(index, seen);
  });
  return duplicates;
}

export function skuDuplicateItem(index: number, sku: string, productId: number | null = null): BulkItemError {
  return {
    index,
    productId,
    errorCode: 'products.sku_duplicate',
    errorMessage: `SKU ${sku} already exists in storefront`,
  };
}

export function productNotFoundItem(index: number, productId: number): BulkItemError {
  return { index, productId, errorCode: 'products.not_found', errorMessage: `product ${productId} not found` };
}

/** An item whose input failed validation: the dotted code from the error, else `products.update_failed`. */
export function invalidItem(index: number, productId: number | null, error: AppError, fallback: string): BulkItemError {
  return { index, productId, errorCode: error.reason ?? fallback, errorMessage: error.message };
}
