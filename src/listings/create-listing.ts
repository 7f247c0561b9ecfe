import type { Clock } from '../../ports/clock.ts';
import type { CoreMetrics } from '../../ports/core-metrics.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { IdempotencyKey } from '../../ports/idempotency-store.ts';
import type { Principal } from '../../ports/principal.ts';
import type { TransactionScope, UnitOfWork } from '../../ports/unit-of-work.ts';
import { actingUserId, assertAuthenticated, assertStorefrontOwner } from '../domain/access.ts';
import { AppError, type FieldViolation, validationError } from '../domain/errors.ts';
import {
  type CreateListingInput,
  categoryNotFound,
  type ListingDetails,
  type NewListing,
  validateCreateListing,
} from '../domain/listing.ts';
import type { ListingCache } from './listing-cache.ts';
import { decodeListing, encodeListing } from './listing-codec.ts';
import { withoutRelations } from './listing-details.ts';

export interface CreateListingDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly cache: ListingCache;
  readonly metrics: CoreMetrics;
  /** How long a completed idempotent create is replayed; default 24 hours. */
  readonly idempotencyTtlMs?: number;
}

/**
 * A client's `Idempotency-Key`, scoped to the operation and the caller (see adapters/http/idempotency.ts, whose
 * `IdempotentRequest` has this shape), with a hash of the request it came with.
 */
export interface IdempotentCall {
  readonly key: IdempotencyKey;
  readonly requestHash: string;
}

export interface CreateListingResult {
  readonly listing: ListingDetails;
  /** True when this is the stored answer to an earlier request with the same idempotency key. */
  readonly replayed: boolean;
}

export const CREATE_LISTING_SCOPE = 'listings.create';
const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;

/**
 * CreateListing: validates (every problem at once, then `category not found`), inserts a `draft` row (`b2c` iff a
 * storefront is given) and its `index` outbox entry in one transaction, and answers with the row as stored (the
 * original committed and then answered INTERNAL). The listing's owner is the caller; admins and services may name
 * another user. With an idempotency key, the reservation, the row, the outbox entry and the stored answer commit
 * together: a retry gets the first answer, the same key with another request IDEMPOTENCY_KEY_REUSED.
 */
export class CreateListing {
  readonly #deps: CreateListingDeps;

  constructor(deps: CreateListingDeps) {
    this.#deps = deps;
  }

  async execute(
    caller: Principal | undefined,
    input: CreateListingInput,
    idempotency?: IdempotentCall,
  ): Promise<CreateListingResult> {
    assertAuthenticated(caller);
    const { uow, clock, ids, cache, metrics } = this.#deps;
    // Without a named user and without an own one (a service), let validation say `user_id must be greater than 0`
    // together with every other problem.
    const named = typeof input.userId === 'number' && input.userId > 0;
    const userId = !named && caller.userId === undefined ? input.userId : actingUserId(caller, input.userId);
    const row = validateCreateListing({ ...input, userId }, { uuid: ids.uuid(), now: clock.now() });
    const result = await uow.run(async (tx) => {
      if (idempotency !== undefined) {
        const replay = await this.#reserve(tx, idempotency);
        if (replay !== undefined) return { listing: replay, replayed: true };
      }
      await checkReferences(tx, caller, row);
      const stored = await tx.listings.insert(row);
      await tx.outbox.enqueue([{ listingId: stored.id, version: stored.version, operation: 'index' }]);
      const listing = withoutRelations(stored);
      if (idempotency !== undefined) await tx.idempotency.complete(idempotency.key, encodeListing(listing), stored.id);
      return { listing, replayed: false };
    });
    if (!result.replayed) {
      // A "not found" cached while the id did not exist yet must not hide the new listing.
      await cache.invalidate(result.listing.id);
      metrics.listingWritten('created');
    }
    return result;
  }

  /** The stored answer of a completed earlier request, or undefined when this request may proceed. */
  async #reserve(tx: TransactionScope, call: IdempotentCall): Promise<ListingDetails | undefined> {
    const ttl = this.#deps.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    const reservation = await tx.idempotency.reserve(call.key, call.requestHash, ttl);
    if (reservation.state === 'reserved') return undefined;
    if (reservation.state === 'in_progress') {
      throw new AppError('INVALID_STATE', 'a request with this idempotency key is still in progress', {
        reason: 'idempotency.in_progress',
      });
    }
    const stored = typeof reservation.response === 'string' ? decodeListing(reservation.response) : undefined;
    if (stored !== undefined) return stored;
    // An answer this version cannot read (older format): the row it named is the next best answer.
    const current = reservation.resourceId === null ? null : await tx.listings.findById(reservation.resourceId);
    if (current === null) throw new AppError('INTERNAL', 'the stored answer of this idempotency key is unreadable');
    return current;
  }
}

/** `category not found` (an existing, active category) and, for a product, a storefront the owner holds. */
async function checkReferences(tx: TransactionScope, caller: Principal, row: NewListing): Promise<void> {
  const violations: FieldViolation[] = [];
  const active = await tx.categories.findActiveIds([row.categoryId]);
  if (!active.has(row.categoryId)) violations.push(categoryNotFound());
  if (row.storefrontId !== null) {
    const storefront = await tx.storefronts.findById(row.storefrontId);
    if (storefront === null) {
      violations.push({ field: 'storefront_id', reason: 'not_found', message: 'storefront not found' });
    } else {
      assertStorefrontOwner(caller, storefront);
      if (storefront.userId !== row.userId) {
        const message = "user_id must be the storefront's owner";
        violations.push({ field: 'user_id', reason: 'conflict', message });
      }
    }
  }
  if (violations.length > 0) throw validationError(violations);
}
