/**
 * The parent product of a variant write: locked for the whole transaction (so two writers cannot both pass the
 * default and last-variant checks), written by its storefront's owner or an admin/service, and a valid parent
 * (`variant-rules.ts`: live b2c, not archived, `has_variants`).
 */
import type { Principal } from '../../ports/principal.ts';
import type { TransactionScope } from '../../ports/unit-of-work.ts';
import { assertAuthenticated, assertStorefrontOwner, isTrusted } from '../domain/access.ts';
import { AppError } from '../domain/errors.ts';
import type { Listing } from '../domain/listing.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';
import { assertVariantParent } from '../domain/variant-rules.ts';

export async function lockVariantParent(
  tx: TransactionScope,
  caller: Principal | undefined,
  productId: number,
): Promise<Listing> {
  assertAuthenticated(caller);
  const row = await tx.listings.findRow(productId, { forUpdate: true });
  // Existence first (has_variants aside), so only the owner learns how the product is set up.
  assertVariantParent(productId, row === null ? null : { ...row, hasVariants: true });
  const parent = row as Listing;
  if (!isTrusted(caller)) {
    // A b2c row always has a storefront (schema CHECK).
    const storefront = await tx.storefronts.findById(parent.storefrontId!);
    if (storefront === null) throw new AppError('PERMISSION_DENIED', `unauthorized: storefront ${parent.storefrontId}`);
    assertStorefrontOwner(caller, storefront);
  }
  assertVariantParent(productId, parent);
  return parent;
}

/** `product ID must be greater than 0` with the original's reason `variants.invalid_product_id`. */
export function requireProductId(value: unknown): number {
  const v = new Violations();
  const id = checkEntityId(v, 'product_id', 'product', value);
  v.throwIfAny('variants.invalid_product_id');
  return id!;
}

/** `variant ID must be greater than 0` with the original's reason `variants.invalid_variant_id`. */
export function requireVariantId(value: unknown): number {
  const v = new Violations();
  const id = checkEntityId(v, 'variant_id', 'variant', value);
  v.throwIfAny('variants.invalid_variant_id');
  return id!;
}
