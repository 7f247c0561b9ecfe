/**
 * Who may do what. Identity comes from a verified token (the original trusted ids in the request), so a request's
 * `user_id` is checked against the caller instead of being believed.
 *
 * Roles: `service` (other back-end services: the order path's stock RPCs, reindex), `admin` (operators: may act
 * on any listing). A plain user acts only on their own listings and storefronts.
 */
import { AppError } from './errors.ts';

export const ROLES = ['admin', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** The caller as the core sees it; `ports/principal.ts` describes where it comes from. */
export interface Actor {
  /** The authenticated user, or null for a service or anonymous caller. */
  readonly userId: number | null;
  readonly roles: readonly Role[];
}

export const ANONYMOUS: Actor = Object.freeze({ userId: null, roles: [] });

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes(role);
}

/** Acts for other users: services and admins. */
export function isTrusted(actor: Actor): boolean {
  return hasRole(actor, 'admin') || hasRole(actor, 'service');
}

export function assertAuthenticated(actor: Actor): void {
  if (actor.userId === null && actor.roles.length === 0) {
    throw new AppError('UNAUTHENTICATED', 'authentication required');
  }
}

/** Stock RPCs (flaw 2): only back-end services (or admins). */
export function assertService(actor: Actor): void {
  assertAuthenticated(actor);
  if (!isTrusted(actor)) throw new AppError('PERMISSION_DENIED', 'this operation requires the service role');
}

/**
 * The user a request acts for. A trusted caller may name any user in the request (it acts on their behalf);
 * a user may only name themselves. Throws UNAUTHENTICATED / PERMISSION_DENIED.
 */
export function actingUserId(actor: Actor, requested: number | null | undefined): number {
  assertAuthenticated(actor);
  const named = requested != null && requested > 0 ? requested : null;
  if (isTrusted(actor)) {
    if (named !== null) return named;
    if (actor.userId !== null) return actor.userId;
    throw new AppError('VALIDATION_FAILED', 'user ID must be greater than 0', {
      violations: [{ field: 'user_id', reason: 'must_be_positive', message: 'user ID must be greater than 0' }],
    });
  }
  if (named !== null && named !== actor.userId) {
    throw new AppError('PERMISSION_DENIED', 'unauthorized: user does not own this listing');
  }
  return actor.userId!;
}

/** UpdateListing / DeleteListing: `unauthorized: user does not own this listing` unless owner or admin/service. */
export function assertListingOwner(actor: Actor, listing: { readonly userId: number }): void {
  assertAuthenticated(actor);
  if (isTrusted(actor) || actor.userId === listing.userId) return;
  throw new AppError('PERMISSION_DENIED', 'unauthorized: user does not own this listing');
}

/** Product writes: the storefront's owner, or admin/service. */
export function assertStorefrontOwner(
  actor: Actor,
  storefront: { readonly id: number; readonly userId: number },
): void {
  assertAuthenticated(actor);
  if (isTrusted(actor) || actor.userId === storefront.userId) return;
  throw new AppError('PERMISSION_DENIED', `unauthorized: user does not own storefront ${storefront.id}`);
}
