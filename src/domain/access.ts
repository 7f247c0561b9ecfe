/**
 * Who may do what. Identity comes from a verified credential (the original trusted ids in the request), so a
 * request's `user_id` is checked against the caller instead of being believed.
 *
 * Roles: `service` (other back-end services: the order path's stock RPCs, reindex), `admin` (operators: may act
 * on any listing). A plain user acts only on their own listings and storefronts.
 *
 * `ports/principal.ts`'s `Principal` satisfies {@link Actor}. A request without a credential has no actor at all
 * (`undefined`), so every check here answers UNAUTHENTICATED for it rather than treating it as a user.
 */
import { AppError } from './errors.ts';

export const ROLES = ['admin', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** The part of the caller access rules need. */
export interface Actor {
  /** The marketplace user; absent for services and non-numeric subjects. */
  readonly userId?: number | undefined;
  /** Role names, compared case-sensitively. */
  readonly roles: readonly string[];
}

export function hasRole(actor: Actor | undefined, role: Role): boolean {
  return actor?.roles.includes(role) === true;
}

/** Acts for other users: services and admins. */
export function isTrusted(actor: Actor | undefined): boolean {
  return hasRole(actor, 'admin') || hasRole(actor, 'service');
}

export function assertAuthenticated(actor: Actor | undefined): asserts actor is Actor {
  if (actor === undefined) throw new AppError('UNAUTHENTICATED', 'authentication required');
}

/** Stock RPCs (flaw #2): only back-end services (or admins). */
export function assertService(actor: Actor | undefined): void {
  assertAuthenticated(actor);
  if (!isTrusted(actor)) throw new AppError('PERMISSION_DENIED', 'this operation requires the service role');
}

/**
 * The user a request acts for. A trusted caller may name any user in the request (it acts on their behalf); a
 * user may only name themselves (or leave it 0/unset). Throws UNAUTHENTICATED, PERMISSION_DENIED, or
 * VALIDATION_FAILED when nobody can be determined.
 */
export function actingUserId(actor: Actor | undefined, requested: number | null | undefined): number {
  assertAuthenticated(actor);
  const named = requested != null && requested > 0 ? requested : null;
  if (isTrusted(actor) && named !== null) return named;
  if (actor.userId === undefined) {
    const message = 'user ID must be greater than 0';
    throw new AppError('VALIDATION_FAILED', message, {
      violations: [{ field: 'user_id', reason: 'must_be_positive', message }],
    });
  }
  if (named !== null && named !== actor.userId) {
    throw new AppError('PERMISSION_DENIED', 'unauthorized: user does not own this listing');
  }
  return actor.userId;
}

/** UpdateListing / DeleteListing: `unauthorized: user does not own this listing` unless owner or admin/service. */
export function assertListingOwner(actor: Actor | undefined, listing: { readonly userId: number }): void {
  assertAuthenticated(actor);
  if (isTrusted(actor) || actor.userId === listing.userId) return;
  throw new AppError('PERMISSION_DENIED', 'unauthorized: user does not own this listing');
}

/** Product writes: the storefront's owner, or admin/service. */
export function assertStorefrontOwner(
  actor: Actor | undefined,
  storefront: { readonly id: number; readonly userId: number },
): void {
  assertAuthenticated(actor);
  if (isTrusted(actor) || actor.userId === storefront.userId) return;
  throw new AppError('PERMISSION_DENIED', `unauthorized: user does not own storefront ${storefront.id}`);
}
