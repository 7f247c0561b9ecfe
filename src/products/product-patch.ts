/**
 * One product's partial update inside a transaction, shared by UpdateProduct and BulkUpdateProducts.
 *
 * - The row is locked (`FOR UPDATE`) and must be a live product of the named storefront (`products.not_found`).
 * - A new category must exist and be active (`category not found`).
 * - `is_active=false` on a product that is not active (a draft, sold or inactive one) keeps its status: the
 *   product view only knows "active or not", and the request already holds. `is_active=true` publishes (the
 *   lifecycle rules of listing-status.ts apply: an archived product cannot come back).
 * - A stock change goes through the inventory port as an `adjustment` movement (reason `product_update`), so
 *   every stock change has its audit row and its `stock_status`, whichever RPC made it.
 * - Only what differs is written; a request that changes nothing writes nothing and enqueues nothing.
 *   Otherwise the row's `update` outbox entry carries the version after every write.
 */
import type { TransactionScope } from '../../ports/unit-of-work.ts';
import type { Listing } from '../domain/listing.ts';
import { applyListingChanges, type ListingUpdate } from '../domain/listing-changes.ts';
import { type Product, productFromListing } from '../domain/product.ts';
import { applyMovement, type StockTarget } from '../domain/stock.ts';
import { assertCategoriesExist, lockOwnedProduct } from './product-access.ts';

export interface ProductPatchRequest {
  readonly storefrontId: number;
  readonly productId: number;
  /** Validated values (`parseProductPatch`), already restricted to the update mask. */
  readonly update: ListingUpdate;
  readonly now: Date;
  /** The acting user, for the stock movement's audit trail. */
  readonly userId: number | null;
}

export interface PatchOutcome {
  readonly product: Product;
  /** False when nothing differed from the stored row. */
  readonly changed: boolean;
}

export async function patchProduct(tx: TransactionScope, request: ProductPatchRequest): Promise<PatchOutcome> {
  const { storefrontId, productId, now } = request;
  const current = await lockOwnedProduct(tx, storefrontId, productId);
  if (request.update.categoryId !== undefined && request.update.categoryId !== current.categoryId) {
    await assertCategoriesExist(tx, [{ field: 'category_id', categoryId: request.update.categoryId }]);
  }
  const { update } = applyListingChanges(current, keepInactiveStatus(current, request.update), now);
  const { quantity, stockStatus: _derived, ...columns } = update;
  let stored: Listing = current;
  if (quantity !== undefined) {
    await adjustStock(tx, { productId, variantId: null }, quantity, request.userId);
  }
  if (Object.keys(columns).length > 0) {
    stored = await tx.listings.update(productId, null, columns);
  } else if (quantity !== undefined) {
    stored = (await tx.listings.findRow(productId)) ?? current;
  }
  const changed = quantity !== undefined || Object.keys(columns).length > 0;
  if (changed) await tx.outbox.enqueue([{ listingId: stored.id, version: stored.version, operation: 'update' }]);
  return { product: productFromListing(stored), changed };
}

/** `is_active=false` asks for "not active": a product that is not active already keeps its own status. */
function keepInactiveStatus(current: Listing, update: ListingUpdate): ListingUpdate {
  if (update.status !== 'inactive' || current.status === 'active') return update;
  const { status: _status, ...rest } = update;
  return rest;
}

async function adjustStock(tx: TransactionScope, target: StockTarget, quantity: number, userId: number | null) {
  const [level] = await tx.inventory.lockStock([target]);
  if (level === undefined) return;
  const change = applyMovement(target, 'adjustment', level.quantity, quantity);
  await tx.inventory.writeStock({
    target,
    before: change.before,
    after: change.after,
    movement: { type: 'adjustment', reason: 'product_update', userId },
  });
}
