/**
 * Who may write a storefront's products, and how a product row is found for a write.
 *
 * The original compared the request's own `storefront_id` with the row (flaw #1). Now the caller is the verified
 * principal: a product write needs the storefront's owner, or an admin/service acting for them. Decision on the
 * ownership matrix:
 * - naming a storefront the caller does not own → PERMISSION_DENIED (`unauthorized: user does not own storefront
 *   N`): storefronts are public, so refusing reveals nothing;
 * - naming one's own storefront with another storefront's product id → NOT_FOUND `products.not_found`, as the
 *   original's ownership filter answered: a product is only ever found within the storefront named.
 */
import type { Principal } from '../../ports/principal.ts';
import type { TransactionScope } from '../../ports/unit-of-work.ts';
import { assertAuthenticated, assertStorefrontOwner } from '../domain/access.ts';
import type { FieldViolation } from '../domain/errors.ts';
import { validationError } from '../domain/errors.ts';
import type { Listing } from '../domain/listing.ts';
import { categoryNotFound } from '../domain/listing.ts';
import { productNotFound } from '../domain/product.ts';
import type { Storefront } from '../domain/storefront.ts';
import { storefrontNotFound } from '../domain/storefront.ts';

/** The storefront, after checking that `caller` may write its products. */
export async function authorizeStorefront(
  tx: Pick<TransactionScope, 'storefronts'>,
  caller: Principal | undefined,
  storefrontId: number,
): Promise<Storefront> {
  assertAuthenticated(caller);
  const storefront = await tx.storefronts.findById(storefrontId);
  if (storefront === null) throw storefrontNotFound(storefrontId);
  assertStorefrontOwner(caller, storefront);
  return storefront;
}

/** Whether a `listings` row is a live product of `storefrontId`. */
export function isOwnedProduct(row: Listing | null, storefrontId: number): row is Listing {
  return row !== null && row.sourceType === 'b2c' && !row.isDeleted && row.storefrontId === storefrontId;
}

/** The product row locked for a read-modify-write; `products.not_found` when missing or another storefront's. */
export async function lockOwnedProduct(
  tx: Pick<TransactionScope, 'listings'>,
  storefrontId: number,
  productId: number,
): Promise<Listing> {
  const row = await tx.listings.findRow(productId, { forUpdate: true });
  if (!isOwnedProduct(row, storefrontId)) throw productNotFound(productId);
  return row;
}

/**
 * `category not found` for each `(field, id)` whose category is missing or inactive; one query for all.
 * Returns the violations (the caller decides whether they fail the request or one item).
 */
export async function missingCategories(
  tx: Pick<TransactionScope, 'categories'>,
  references: readonly { readonly field: string; readonly categoryId: number }[],
): Promise<FieldViolation[]> {
  if (references.length === 0) return [];
  const active = await tx.categories.findActiveIds([...new Set(references.map((ref) => ref.categoryId))]);
  return references.filter((ref) => !active.has(ref.categoryId)).map((ref) => categoryNotFound(ref.field));
}

/** Throws VALIDATION_FAILED `category not found` when any referenced category is missing or inactive. */
export async function assertCategoriesExist(
  tx: Pick<TransactionScope, 'categories'>,
  references: readonly { readonly field: string; readonly categoryId: number }[],
): Promise<void> {
  const violations = await missingCategories(tx, references);
  if (violations.length > 0) throw validationError(violations);
}
