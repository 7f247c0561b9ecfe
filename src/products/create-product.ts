import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Principal } from '../../ports/principal.ts';
import type { TransactionScope } from '../../ports/unit-of-work.ts';
import { assertAuthenticated } from '../domain/access.ts';
import { AppError } from '../domain/errors.ts';
import { type Product, type ProductInput, productFromListing, validateCreateProduct } from '../domain/product.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';
import { invalidateAfterWrite } from './cache-invalidation.ts';
import type { CallOptions, IdempotentCall } from './call-context.ts';
import { assertCategoriesExist, authorizeStorefront } from './product-access.ts';
import type { ProductWriteDeps } from './product-write-deps.ts';

export interface CreateProductDeps extends ProductWriteDeps {
  readonly ids: IdGenerator;
  /** How long a completed idempotent create is replayed; default 24 hours. */
  readonly idempotencyTtlMs?: number;
}

export interface CreateProductInput extends ProductInput {
  readonly storefrontId: number;
}

export interface CreateProductResult {
  readonly product: Product;
  /** True when this answers a retry of an earlier request with the same idempotency key. */
  readonly replayed: boolean;
}

export const CREATE_PRODUCT_SCOPE = 'products.create';
const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;

/**
 * CreateProduct: a b2c row owned by the storefront's owner (`user_id` = `storefronts.user_id`), written with its
 * `index` outbox entry in one transaction. Every field is honoured (flaw #22): `is_active=false` creates a draft,
 * `has_variants=true` lets variants be added, `barcode` is stored. The caller must own the storefront, or be an
 * admin/service (flaw #1). With an idempotency key, a retry gets the product the first request created (read
 * again, so it shows later edits), and the same key with another request is IDEMPOTENCY_KEY_REUSED.
 */
export class CreateProduct {
  readonly #deps: CreateProductDeps;

  constructor(deps: CreateProductDeps) {
    this.#deps = deps;
  }

  async execute(
    caller: Principal | undefined,
    input: CreateProductInput,
    options: CallOptions = {},
  ): Promise<CreateProductResult> {
    assertAuthenticated(caller);
    const { uow, clock, ids, metrics } = this.#deps;
    const v = new Violations();
    const storefrontId = checkEntityId(v, 'storefront_id', 'storefront', input.storefrontId);
    v.throwIfAny();
    const uuid = ids.uuid();
    const now = clock.now();
    const { idempotency } = options;
    const result = await uow.run(async (tx) => {
      if (idempotency !== undefined) {
        const replay = await this.#reserve(tx, idempotency);
        if (replay !== undefined) return { product: replay, replayed: true };
      }
      const storefront = await authorizeStorefront(tx, caller, storefrontId!);
      const row = validateCreateProduct(input, {
        storefrontId: storefront.id,
        ownerUserId: storefront.userId,
        uuid,
        now,
      });
      await assertCategoriesExist(tx, [{ field: 'category_id', categoryId: row.categoryId }]);
      const stored = await tx.listings.insert(row);
      await tx.outbox.enqueue([{ listingId: stored.id, version: stored.version, operation: 'index' }]);
      if (idempotency !== undefined) await tx.idempotency.complete(idempotency.key, null, stored.id);
      return { product: productFromListing(stored), replayed: false };
    });
    if (!result.replayed) {
      // A "not found" cached while the id did not exist yet must not hide the new product.
      await invalidateAfterWrite(this.#deps, [result.product.id]);
      metrics.listingWritten('created');
    }
    return result;
  }

  /** The product an earlier request with this key created, or undefined when this request may proceed. */
  async #reserve(tx: TransactionScope, call: IdempotentCall): Promise<Product | undefined> {
    const ttl = this.#deps.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    const reservation = await tx.idempotency.reserve(call.key, call.requestHash, ttl);
    if (reservation.state === 'reserved') return undefined;
    if (reservation.state === 'in_progress') {
      throw new AppError('INVALID_STATE', 'a request with this idempotency key is still in progress', {
        reason: 'idempotency.in_progress',
      });
    }
    const product = reservation.resourceId === null ? null : await tx.products.findById(reservation.resourceId);
    if (product === null) {
      throw new AppError('PRODUCT_NOT_FOUND', 'the product created with this idempotency key no longer exists', {
        reason: 'products.not_found',
      });
    }
    return product;
  }
}
