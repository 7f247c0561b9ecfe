/**
 * How many requests one caller may make, as the core needs it (per RPC and per principal or IP, §7 of the reference).
 *
 * **Algorithm: GCRA** (the generic cell rate algorithm, a token bucket kept as one timestamp per key). A rule allows
 * `limit` requests per `windowMs` on average, i.e. one every `windowMs / limit` ms, and lets an idle key spend up to
 * `burst` requests at once. Unlike the original's fixed window there is no boundary at which a caller can spend two
 * windows' worth at once, and a rejected request consumes nothing, so hammering does not extend the wait.
 *
 * **Keys** are `{scope}:{identifier}`, e.g. `listings.v1.ListingsService:GetListing:10.0.0.5` or
 * `listings.v1.ListingsService:CreateListing:user:42`. The caller bounds the identifier (an IP without its port, a
 * principal id); adapters store the key under their own head (`rate_limit:` in Redis).
 *
 * **Failures.** An adapter whose store is unreachable or too slow reports the failure to its
 * {@link RateLimiterObserver} and then, as configured when it was built (`failOpen`, default `true`):
 * - fails open: resolves an allowed decision, as a fresh key would get it (the original's behaviour);
 * - fails closed: rejects with `AppError('DEPENDENCY_UNAVAILABLE')`, which the edges map to 503 / UNAVAILABLE.
 *
 * A rule that is not valid (see {@link RateLimitRule}) rejects with `AppError('CONFIG_INVALID')` whatever the store.
 */
export interface RateLimiter {
  /** Counts one request against `key` under `rule` and says whether it may proceed. */
  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

export interface RateLimitRule {
  /** Requests allowed per window on average; an integer ≥ 1. */
  readonly limit: number;
  /** The window, in milliseconds; > 0. The sustained rate is `limit / windowMs`. */
  readonly windowMs: number;
  /**
   * How many requests an idle key may make at once (the bucket's capacity); an integer ≥ 1. Defaults to `limit`, so a
   * fresh key gets exactly `limit` requests immediately, as in the original. `burst > limit` absorbs spikes (the
   * original's `RATE_LIMIT_BURST`); `burst < limit` smooths traffic.
   */
  readonly burst?: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Requests the key could still make right now (0 when rejected). */
  readonly remaining: number;
  /** The most requests the key can make at once: the rule's `burst` (its `limit` when no burst was given). */
  readonly limit: number;
  /** Milliseconds until the key is back to `limit` remaining, i.e. until its state is forgotten. */
  readonly resetMs: number;
  /** When rejected, milliseconds (> 0) until one request would be allowed; 0 when allowed. */
  readonly retryAfterMs: number;
}

/**
 * Told about every store failure the limiter handled (failing open or closed). `error` is an `AppError` with code
 * `DEPENDENCY_UNAVAILABLE` whose `cause` is the store's own error. Must not throw; runs on the request path.
 */
export interface RateLimiterObserver {
  onError(operation: 'consume', error: unknown): void;
}
