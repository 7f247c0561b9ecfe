import type { Principal } from '../../ports/principal.ts';
import type { UpdateListing, UpdateListingResult } from './update-listing.ts';

export interface ChangeListingStatusInput {
  readonly id: number;
  readonly expectedVersion?: number | null;
}

/**
 * Publish (→ `active`) and unpublish (→ `inactive`): status changes through UpdateListing, so the transition table,
 * `published_at`, ownership, optimistic concurrency, the outbox entry and cache invalidation are the same code.
 * A forbidden move (e.g. unpublishing a draft, publishing an archived listing) is INVALID_STATE
 * (`listings.invalid_status_transition`); publishing an active listing changes nothing.
 */
export class ChangeListingStatus {
  readonly #update: UpdateListing;

  constructor(deps: { readonly update: UpdateListing }) {
    this.#update = deps.update;
  }

  publish(caller: Principal | undefined, input: ChangeListingStatusInput): Promise<UpdateListingResult> {
    return this.#update.execute(caller, {
      id: input.id,
      expectedVersion: input.expectedVersion ?? null,
      status: 'active',
    });
  }

  unpublish(caller: Principal | undefined, input: ChangeListingStatusInput): Promise<UpdateListingResult> {
    return this.#update.execute(caller, {
      id: input.id,
      expectedVersion: input.expectedVersion ?? null,
      status: 'inactive',
    });
  }
}
