import type { Principal } from '../../ports/principal.ts';
import type { TransactionScope } from '../../ports/unit-of-work.ts';
import { assertAuthenticated } from '../domain/access.ts';
import { type AppError, isAppError } from '../domain/errors.ts';
import type { ListingUpdate } from '../domain/listing-changes.ts';
import type { Product } from '../domain/product.ts';
import {
  type BulkItemError,
  checkBulkUpdateSize,
  invalidItem,
  productNotFoundItem,
  skuDuplicateItem,
} from '../domain/product-bulk.ts';
import { type ProductPatchInput, parseProductPatch } from '../domain/product-changes.ts';
import { applyUpdateMask } from '../domain/product-mask.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import { authorizeStorefront } from './product-access.ts';
import { type PatchOutcome, patchProduct } from './product-patch.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';

export interface ProductUpdateInput extends ProductPatchInput {
  readonly productId: number;
  /** Column names (`title`, `quantity`, `status`…, the original's) and proto names (`name`, `is_active`…) alike. */
  readonly updateMask?: readonly string[] | null;
}

export interface BulkUpdateProductsInput {
  readonly storefrontId: number;
  /** 0..1000; an empty batch is an empty OK reply. */
  readonly updates: readonly ProductUpdateInput[];
}

export interface BulkUpdateProductsResult {
  /** The updated products as stored, in input order (an item that changed nothing is a success too). */
  readonly products: readonly Product[];
  readonly successfulCount: number;
  readonly failedCount: number;
  readonly errors: readonly BulkItemError[];
}

interface PlannedItem {
  readonly index: number;
  readonly productId: number;
  readonly update: ListingUpdate;
}

/**
 * BulkUpdateProducts: each item on its own (flaw #27), under a savepoint, so one failing item rolls back only
 * itself. Per-item codes: `products.not_found`, `products.sku_duplicate`, `products.no_fields_to_update`,
 * `products.invalid_attributes`, `listings.invalid_status_transition`, otherwise `products.update_failed` with
 * the validation text. Mask paths are accepted in column and proto names (flaw #23, product-mask.ts). Rows are
 * locked in product id order whatever the input order, so two concurrent batches cannot deadlock.
 */
export class BulkUpdateProducts {
  readonly #deps: ProductWriteDeps;

  constructor(deps: ProductWriteDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: BulkUpdateProductsInput): Promise<BulkUpdateProductsResult> {
    assertAuthenticated(caller);
    const v = new Violations();
    const storefrontId = checkEntityId(v, 'storefront_id', 'storefront', input.storefrontId);
    v.throwIfAny();
    checkBulkUpdateSize(input.updates.length);
    const errors: BulkItemError[] = [];
    const planned = plan(input.updates, errors);
    const now = this.#deps.clock.now();
    const userId = caller.userId ?? null;
    const outcomes = await this.#deps.uow.run(async (tx) => {
      await authorizeStorefront(tx, caller, storefrontId!);
      const done = new Map<number, PatchOutcome>();
      const failed: BulkItemError[] = [];
      const ordered = [...planned].sort((a, b) => a.productId - b.productId);
      for (const item of ordered) {
        const outcome = await applyItem(tx, storefrontId!, item, now, userId);
        if ('product' in outcome) done.set(item.index, outcome);
        else failed.push(outcome);
      }
      return { done, failed };
    });
    errors.push(...outcomes.failed);
    errors.sort((a, b) => a.index - b.index);
    const done = [...outcomes.done.entries()].sort(([a], [b]) => a - b).map(([, outcome]) => outcome);
    const changed = done.filter((outcome) => outcome.changed).map((outcome) => outcome.product.id);
    await invalidateAfterWrite(this.#deps, changed);
    for (const _ of changed) this.#deps.metrics.listingWritten('updated');
    return {
      products: done.map((outcome) => outcome.product),
      successfulCount: done.length,
      failedCount: errors.length,
      errors,
    };
  }
}

/** Validates every item before the transaction; invalid ones become errors and are not attempted. */
function plan(updates: readonly ProductUpdateInput[], errors: BulkItemError[]): PlannedItem[] {
  const planned: PlannedItem[] = [];
  updates.forEach((item, index) => {
    const { productId, updateMask, ...patch } = item;
    const ids = new Violations();
    if (checkEntityId(ids, 'product_id', 'product', productId) === undefined) {
      errors.push(productNotFoundItem(index, productId));
      return;
    }
    try {
      const update = parseProductPatch(applyUpdateMask(patch, updateMask, `updates[${index}].update_mask`));
      planned.push({ index, productId, update });
    } catch (error) {
      if (!isAppError(error)) throw error;
      errors.push(invalidItem(index, productId, error, 'products.update_failed'));
    }
  });
  return planned;
}

async function applyItem(
  tx: TransactionScope,
  storefrontId: number,
  item: PlannedItem,
  now: Date,
  userId: number | null,
): Promise<PatchOutcome | BulkItemError> {
  try {
    return await tx.savepoint(() =>
      patchProduct(tx, { storefrontId, productId: item.productId, update: item.update, now, userId }),
    );
  } catch (error) {
    if (!isAppError(error) || error.code === 'DEPENDENCY_UNAVAILABLE') throw error;
    return itemError(item, error);
  }
}

function itemError(item: PlannedItem, error: AppError): BulkItemError {
  switch (error.code) {
    case 'PRODUCT_NOT_FOUND':
      return productNotFoundItem(item.index, item.productId);
    case 'ALREADY_EXISTS':
      return skuDuplicateItem(item.index, item.update.sku ?? '', item.productId);
    case 'INTERNAL':
      return {
        index: item.index,
        productId: item.productId,
        errorCode: 'products.update_failed',
        errorMessage: error.message,
      };
    default:
      return invalidItem(item.index, item.productId, error, 'products.update_failed');
  }
}
