/**
 * Who is calling, as established by a verified credential (a JWT today; mTLS or a service token later).
 *
 * Identity is always derived from the credential, never from ids the request itself carries: a use case that
 * checks ownership compares the resource's owner with `userId` here. A request without a credential has no
 * principal at all (`undefined`), rather than an "anonymous" principal, so a missing check cannot be mistaken
 * for a passed one.
 */
export interface Principal {
  /** The token's `sub`: stable and unique per issuer; used in logs, rate-limit keys and idempotency scopes. */
  readonly subject: string;
  /** The marketplace user id, when `subject` is a positive safe integer; absent for non-numeric subjects. */
  readonly userId?: number;
  /** Role names granted by the token, deduplicated (`admin`, `service`, ...). Compared case-sensitively. */
  readonly roles: readonly string[];
  /** `service` when the caller is another backend (it holds the `service` role), otherwise `user`. */
  readonly kind: 'user' | 'service';
}
