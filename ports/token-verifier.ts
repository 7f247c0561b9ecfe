import type { Principal } from './principal.ts';

/**
 * Turns a bearer token into the {@link Principal} it proves, or refuses it.
 *
 * Guarantees an adapter keeps:
 * - `verify` resolves only for a token whose signature, algorithm, expiry (with at most 30 s of clock tolerance),
 *   and, when configured, issuer and audience all check out. A token without `sub` or `exp` is refused.
 * - A refused token rejects with `AppError('UNAUTHENTICATED')` whose `reason` is a stable machine word
 *   (`auth.token_expired`, `auth.bad_signature`, `auth.wrong_audience`, ...) and whose message says the same
 *   in words; neither contains the token.
 * - When the verifier cannot decide because a server it needs (a JWKS endpoint) is unreachable, it rejects with
 *   `AppError('DEPENDENCY_UNAVAILABLE')`: the caller's token may well be valid.
 * - `verify` does no I/O per call beyond refreshing remote keys, which adapters cache.
 */
export interface TokenVerifier {
  /** `token` is the bare token, without the `Bearer ` scheme. */
  verify(token: string): Promise<Principal>;
}
