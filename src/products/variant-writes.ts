/**
 * Steps shared by the variant writes, inside the parent's transaction (parent locked by variant-parent.ts).
 */
import type { TransactionScope } from '../../ports/unit-of-work.ts';
import type { Listing } from '../domain/listing.ts';
import type { NewVariant, ProductVariant } from '../domain/product-variant.ts';
import { defaultAfterCreate } from '../domain/variant-rules.ts';

/**
 * Inserts `rows` (one statement), then moves the default where `variant-rules.ts` says (a new variant asking for
 * it takes it; otherwise the existing default stays; with none, the lowest id). Returns the new variants as stored.
 */
export async function addVariants(
  tx: TransactionScope,
  productId: number,
  rows: readonly NewVariant[],
): Promise<ProductVariant[]> {
  const existing = await tx.products.listVariants(productId);
  const inserted = await tx.products.insertVariants(rows);
  const requested = inserted.map((variant, index) => ({ id: variant.id, requestedDefault: rows[index]!.isDefault }));
  const wanted = defaultAfterCreate(existing, requested);
  const current = existing.find((variant) => variant.isDefault)?.id ?? null;
  if (wanted !== current) await tx.products.setDefaultVariant(productId, wanted);
  const stored = new Map((await tx.products.listVariants(productId)).map((variant) => [variant.id, variant]));
  return inserted.map((variant) => stored.get(variant.id) ?? variant);
}

/** The parent's `update` outbox entry: what the index shows of a product may depend on its variants. */
export function enqueueParent(tx: TransactionScope, parent: Pick<Listing, 'id' | 'version'>): Promise<void> {
  return tx.outbox.enqueue([{ listingId: parent.id, version: parent.version, operation: 'update' }]);
}
