import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Principal } from '../../ports/principal.ts';
import type { TransactionScope } from '../../ports/unit-of-work.ts';
import { assertAuthenticated } from '../domain/access.ts';
import { type FieldViolation, isAppError, validationError } from '../domain/errors.ts';
import type { Listing, NewListing } from '../domain/listing.ts';
import { checkProductInput, type Product, type ProductInput, productFromListing } from '../domain/product.ts';
import {
  type BulkItemError,
  checkBulkCreateSize,
  duplicateSkusInBatch,
  skuDuplicateItem,
} from '../domain/product-bulk.ts';
import { atIndex, checkEntityId, Violations } from '../domain/validation.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import { authorizeStorefront, missingCategories } from './product-access.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';

export interface BulkCreateProductsDeps extends ProductWriteDeps {
  readonly ids: IdGenerator;
}

export interface BulkCreateProductsInput {
  readonly storefrontId: number;
  /** 1..1000. */
  readonly products: readonly ProductInput[];
}

export interface BulkCreateProductsResult {
  /** The created products, in input order. */
  readonly products: readonly Product[];
  readonly successfulCount: number;
  readonly failedCount: number;
  /** One per failed item, by input index. */
  readonly errors: readonly BulkItemError[];
}

/**
 * BulkCreateProducts, with real partial success (flaw #27: the original's "partial success" was all-or-nothing).
 *
 * Strategy: validate first, then savepoints.
 * 1. Input problems fail the whole request (VALIDATION_FAILED, `name at index 2 must be …`, the original's
 *    wording), nothing written: they are the caller's bug, fixed by resending.
 * 2. SKU collisions are per item (`products.sku_duplicate`, `SKU <sku> already exists in storefront`): with the
 *    storefront's live products, and with an earlier item of the same batch (the first one wins).
 * 3. The remaining items are inserted in one statement under a savepoint. Only if a concurrent writer took one of
 *    their SKUs in between does that statement fail; the savepoint is rolled back and the items are inserted one
 *    by one, each under its own savepoint, so the losers are reported per item and the others still commit.
 * Each created product gets its `index` outbox entry in the same transaction.
 */
export class BulkCreateProducts {
  readonly #deps: BulkCreateProductsDeps;

  constructor(deps: BulkCreateProductsDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: BulkCreateProductsInput): Promise<BulkCreateProductsResult> {
    assertAuthenticated(caller);
    const v = new Violations();
    const storefrontId = checkEntityId(v, 'storefront_id', 'storefront', input.storefrontId);
    v.throwIfAny();
    checkBulkCreateSize(input.products.length);
    const { uow, clock, ids, metrics } = this.#deps;
    const now = clock.now();
    const uuids = input.products.map(() => ids.uuid());
    const outcome = await uow.run(async (tx) => {
      const storefront = await authorizeStorefront(tx, caller, storefrontId!);
      const context = { storefrontId: storefront.id, ownerUserId: storefront.userId, now };
      const rows = await validateAll(tx, input.products, (index) => ({ ...context, uuid: uuids[index]! }));
      const errors = await skuCollisions(tx, storefront.id, rows);
      const pending = rows.flatMap((row, index) => (errors.has(index) ? [] : [{ index, row }]));
      const created = await insertAll(tx, pending, errors);
      await tx.outbox.enqueue(
        created.map(({ listing }) => ({ listingId: listing.id, version: listing.version, operation: 'index' })),
      );
      return { created, errors };
    });
    const products = outcome.created.map(({ listing }) => productFromListing(listing));
    await invalidateAfterWrite(
      this.#deps,
      products.map((product) => product.id),
    );
    for (const _ of products) metrics.listingWritten('created');
    const errors = [...outcome.errors.values()].sort((a, b) => a.index - b.index);
    return { products, successfulCount: products.length, failedCount: errors.length, errors };
  }
}

/** Every item's rows, or one VALIDATION_FAILED naming each bad field by index (categories included). */
async function validateAll(
  tx: TransactionScope,
  inputs: readonly ProductInput[],
  contextOf: (index: number) => Parameters<typeof checkProductInput>[2],
): Promise<NewListing[]> {
  const violations: FieldViolation[] = [];
  const rows: NewListing[] = [];
  inputs.forEach((input, index) => {
    const item = new Violations();
    const row = checkProductInput(item, input, contextOf(index));
    violations.push(...atIndex(item.items, 'products', index));
    if (row !== undefined) rows.push(row);
  });
  if (violations.length === 0) {
    const references = rows.map((row, index) => ({
      field: `products[${index}].category_id`,
      categoryId: row.categoryId,
    }));
    violations.push(...(await missingCategories(tx, references)));
  }
  if (violations.length > 0) throw validationError(violations);
  return rows;
}

/** Items whose SKU a live product of the storefront, or an earlier item of the batch, already uses. */
async function skuCollisions(
  tx: TransactionScope,
  storefrontId: number,
  rows: readonly NewListing[],
): Promise<Map<number, BulkItemError>> {
  const errors = new Map<number, BulkItemError>();
  const skus = rows.map((row) => row.sku);
  for (const index of duplicateSkusInBatch(skus).keys()) errors.set(index, skuDuplicateItem(index, skus[index]!));
  const wanted = [...new Set(skus.filter((sku): sku is string => sku !== null))];
  const taken = wanted.length === 0 ? new Set<string>() : await tx.products.findTakenSkus(storefrontId, wanted);
  skus.forEach((sku, index) => {
    if (sku !== null && taken.has(sku)) errors.set(index, skuDuplicateItem(index, sku));
  });
  return errors;
}

interface Created {
  readonly index: number;
  readonly listing: Listing;
}

async function insertAll(
  tx: TransactionScope,
  pending: readonly { readonly index: number; readonly row: NewListing }[],
  errors: Map<number, BulkItemError>,
): Promise<Created[]> {
  if (pending.length === 0) return [];
  try {
    const stored = await tx.savepoint(() => tx.listings.insertMany(pending.map((item) => item.row)));
    return stored.map((listing, position) => ({ index: pending[position]!.index, listing }));
  } catch (error) {
    if (!isSkuConflict(error)) throw error;
  }
  const created: Created[] = [];
  for (const { index, row } of pending) {
    try {
      created.push({ index, listing: await tx.savepoint(() => tx.listings.insert(row)) });
    } catch (error) {
      if (!isSkuConflict(error)) throw error;
      errors.set(index, skuDuplicateItem(index, row.sku ?? ''));
    }
  }
  return created;
}

function isSkuConflict(error: unknown): boolean {
  return isAppError(error) && error.code === 'ALREADY_EXISTS';
}
