import type { Clock } from '../../ports/clock.ts';
import type { CoreMetrics } from '../../ports/core-metrics.ts';
import type { Principal } from '../../ports/principal.ts';
import type { TransactionScope, UnitOfWork } from '../../ports/unit-of-work.ts';
import { actingUserId, assertAuthenticated, assertListingOwner } from '../domain/access.ts';
import { validationError } from '../domain/errors.ts';
import { categoryNotFound, isSearchable, type ListingDetails } from '../domain/listing.ts';
import {
  applyListingChanges,
  type ListingPatchInput,
  type ListingUpdate,
  parseListingPatch,
} from '../domain/listing-changes.ts';
import { checkEntityId, Violations } from '../domain/validation.ts';
import type { ListingCache } from './listing-cache.ts';
import { checkExpectedVersion, listingNotFound, versionConflict } from './listing-checks.ts';

export interface UpdateListingDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly cache: ListingCache;
  readonly metrics: CoreMetrics;
}

/** UpdateListing: the listing, the present fields to change, and optionally the version the caller read. */
export interface UpdateListingInput extends ListingPatchInput {
  readonly id: number;
  /** The original's owner claim: checked against the caller (admins and services may name anyone). */
  readonly userId?: number | null;
  /** Optimistic concurrency (REST `If-Match`): a stored version other than this → VERSION_CONFLICT. */
  readonly expectedVersion?: number | null;
}

export interface UpdateListingResult {
  readonly listing: ListingDetails;
  /** False when every present field already had its value: nothing was written, the version is unchanged. */
  readonly changed: boolean;
}

const PATCH_FIELDS = [
  'title',
  'description',
  'price',
  'quantity',
  'status',
  'visibility',
  'currency',
  'categoryId',
  'sku',
  'attributes',
] as const satisfies readonly (keyof ListingPatchInput)[];

/**
 * UpdateListing (and publish/unpublish, which are status changes): a partial update by the owner (or an admin or
 * service). The row is locked for the read-modify-write, so concurrent writers queue; `expectedVersion` makes a
 * writer that read an older version fail with VERSION_CONFLICT instead of silently overwriting (no lost update).
 * Status changes follow the domain's transition table, `published_at` is stamped on each move into `active`, and
 * the `update` outbox entry commits with the row. The cache entry is invalidated after the commit.
 */
export class UpdateListing {
  readonly #deps: UpdateListingDeps;

  constructor(deps: UpdateListingDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: UpdateListingInput): Promise<UpdateListingResult> {
    assertAuthenticated(caller);
    const v = new Violations();
    const id = checkEntityId(v, 'id', 'listing', input.id);
    const expectedVersion = checkExpectedVersion(v, input.expectedVersion);
    v.throwIfAny();
    if (input.userId != null && input.userId > 0) actingUserId(caller, input.userId);
    const patch: Record<string, unknown> = {};
    for (const field of PATCH_FIELDS) if (input[field] !== undefined) patch[field] = input[field];
    const requested = parseListingPatch(patch as ListingPatchInput);
    const { uow, clock, cache, metrics } = this.#deps;

    const result = await uow.run(async (tx) => {
      const current = await tx.listings.findRow(id!, { forUpdate: true });
      if (current === null) throw listingNotFound(id!);
      assertListingOwner(caller, current);
      if (expectedVersion !== null && expectedVersion !== current.version) {
        throw versionConflict(id!, expectedVersion, current.version);
      }
      if (requested.categoryId !== undefined && requested.categoryId !== current.categoryId) {
        await checkCategory(tx, requested);
      }
      const applied = applyListingChanges(current, requested, clock.now());
      if (applied.changed.length > 0) {
        const updated = await tx.listings.update(id!, current.version, applied.update);
        await tx.outbox.enqueue([{ listingId: id!, version: updated.version, operation: 'update' }]);
      }
      const listing = await tx.listings.findById(id!);
      if (listing === null) throw listingNotFound(id!);
      const searchable = isSearchable(current) || isSearchable(listing);
      return { listing, changed: applied.changed.length > 0, searchable };
    });
    if (result.changed) {
      await cache.invalidate(id!, { search: result.searchable });
      metrics.listingWritten('updated');
    }
    return { listing: result.listing, changed: result.changed };
  }
}

async function checkCategory(tx: TransactionScope, update: ListingUpdate): Promise<void> {
  const categoryId = update.categoryId!;
  const active = await tx.categories.findActiveIds([categoryId]);
  if (!active.has(categoryId)) throw validationError([categoryNotFound()]);
}
