import { type Actor, isTrusted } from '../domain/access.ts';
import type { Listing } from '../domain/listing.ts';

/**
 * Who may read a listing. The owner and trusted callers (admin, service) see every live listing of theirs / of
 * anyone; everybody else, anonymous callers included, sees only `active` listings that are `public` or `unlisted`
 * (unlisted = reachable by its id or link, kept out of lists and search). Drafts, paused, sold, archived and private
 * listings read as missing to them, so their existence does not leak.
 */
export function canView(
  caller: Actor | undefined,
  listing: Pick<Listing, 'userId' | 'status' | 'visibility' | 'isDeleted'>,
): boolean {
  if (listing.isDeleted) return false;
  if (isOwnerOrTrusted(caller, listing)) return true;
  return listing.status === 'active' && listing.visibility !== 'private';
}

/** What a list shows to someone who is neither owner nor trusted: active and public only. */
export function isListedPublicly(listing: Pick<Listing, 'status' | 'visibility' | 'isDeleted'>): boolean {
  return !listing.isDeleted && listing.status === 'active' && listing.visibility === 'public';
}

export function isOwnerOrTrusted(caller: Actor | undefined, listing: Pick<Listing, 'userId'>): boolean {
  return isTrusted(caller) || (caller?.userId !== undefined && caller.userId === listing.userId);
}
