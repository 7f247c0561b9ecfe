import type { ListingKey, ListingPage, ListingRepository } from '../../ports/listing-repository.ts';
import type { Principal } from '../../ports/principal.ts';
import { isTrusted } from '../domain/access.ts';
import { validationError } from '../domain/errors.ts';
import type { ListingDetails } from '../domain/listing.ts';
import { type ListingFilter, type ListListingsInput, validateListListings } from '../domain/listing-query.ts';
import {
  type CursorScope,
  decodeCursor,
  encodeCursor,
  filterFingerprint,
  invalidCursor,
} from '../domain/pagination.ts';
import { isListedPublicly } from './listing-visibility.ts';

export interface ListListingsDeps {
  readonly listings: ListingRepository;
}

export interface ListListingsRequest extends ListListingsInput {
  /** `next_cursor` of the previous page: keyset paging, stable under inserts. Use with `offset` 0. */
  readonly cursor?: string | null;
}

export interface ListListingsResult {
  readonly listings: readonly ListingDetails[];
  /** Every match, not only this page. */
  readonly total: number;
  /** Pass as `cursor` for the next page; null on the last page. Offset pages carry one too. */
  readonly nextCursor: string | null;
}

const SORT = 'listings:created_at_desc,id_desc';

/**
 * ListListings: AND-ed filters over live listings, newest first, with the original's paging checks (`limit must be
 * greater than 0`, `limit must not exceed 100`, `offset cannot be negative`, `min_price cannot be greater than
 * max_price`), and `total` over all matches. Pages are offset pages or, with `cursor`, keyset pages (no duplicates
 * or gaps when rows are added meanwhile); every page returns the cursor of the next one.
 *
 * Owners (filtering on their own `user_id`) and admins/services see every status and visibility. Anyone else sees
 * only active public listings: the status filter is forced to `active`. The repository filter has no visibility
 * column, so private and unlisted rows are removed from the page afterwards (see the report: `total` may count them).
 */
export class ListListings {
  readonly #deps: ListListingsDeps;

  constructor(deps: ListListingsDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, request: ListListingsRequest): Promise<ListListingsResult> {
    const cursor = request.cursor == null || request.cursor === '' ? null : request.cursor;
    if (cursor !== null && request.offset !== 0) {
      const message = 'offset must be 0 when a cursor is given';
      throw validationError([{ field: 'offset', reason: 'conflict', message }]);
    }
    const query = validateListListings(request);
    const restricted = !seesEverything(caller, query.filter);
    let filter: ListingFilter = query.filter;
    if (restricted) {
      if (filter.status !== undefined && filter.status !== 'active')
        return { listings: [], total: 0, nextCursor: null };
      filter = { ...filter, status: 'active' };
    }
    const scope: CursorScope = { sort: SORT, fingerprint: filterFingerprint({ ...filter, restricted }) };
    const { limit, offset } = query.page;
    const page: ListingPage =
      cursor !== null ? { limit, after: decodeKey(cursor, scope) } : offset === 0 ? { limit, after: null } : query.page;

    const result = await this.#deps.listings.list(filter, page);
    let nextKey = result.nextKey;
    const last = result.items.at(-1);
    if (nextKey === null && 'offset' in page && last !== undefined && offset + result.items.length < result.total) {
      nextKey = { createdAt: last.createdAt, id: last.id };
    }
    return {
      listings: restricted ? result.items.filter(isListedPublicly) : result.items,
      total: result.total,
      nextCursor: nextKey === null ? null : encodeCursor(scope, [nextKey.createdAt.toISOString(), nextKey.id]),
    };
  }
}

function seesEverything(caller: Principal | undefined, filter: ListingFilter): boolean {
  return isTrusted(caller) || (caller?.userId !== undefined && filter.userId === caller.userId);
}

function decodeKey(cursor: string, scope: CursorScope): ListingKey {
  const [createdAt, id] = decodeCursor(cursor, scope, 2);
  const at = typeof createdAt === 'string' ? new Date(createdAt) : null;
  if (at === null || Number.isNaN(at.getTime()) || typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw invalidCursor();
  }
  return { createdAt: at, id };
}
