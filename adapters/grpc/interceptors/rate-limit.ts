import type { RateLimiter, RateLimitRule } from '../../../ports/rate-limiter.ts';
import { AppError } from '../../../src/domain/errors.ts';
import type { CallState, Interceptor } from '../context.ts';
import { formatGoDuration } from '../go-duration.ts';
import { ipOf } from '../peer-address.ts';
import type { RpcName } from '../rpcs.ts';
import { assertRpcTable } from './rpc-table.ts';

const MINUTE = 60_000;

/** §7's table, applied to ListingsService (the original keyed four of them under a service that did not exist). */
export const DEFAULT_RATE_LIMIT_RULES: Readonly<Partial<Record<RpcName, RateLimitRule>>> = {
  GetListing: { limit: 200, windowMs: MINUTE },
  ListListings: { limit: 200, windowMs: MINUTE },
  SearchListings: { limit: 300, windowMs: MINUTE },
  CreateListing: { limit: 50, windowMs: MINUTE },
  UpdateListing: { limit: 50, windowMs: MINUTE },
  DeleteListing: { limit: 20, windowMs: MINUTE },
  IncrementProductViews: { limit: 100, windowMs: MINUTE },
  GetProductStats: { limit: 300, windowMs: MINUTE },
  RecordInventoryMovement: { limit: 50, windowMs: MINUTE },
  BatchUpdateStock: { limit: 20, windowMs: MINUTE },
};
export const DEFAULT_RATE_LIMIT_RULE: RateLimitRule = { limit: 100, windowMs: MINUTE };

/** The `identifier_type` metric label: an authenticated caller, or a client IP. */
export type IdentifierType = 'user_id' | 'ip';

export interface RateLimitObserver {
  /** One counted request (`listings_rate_limit_{hits,allowed,rejected}_total`). */
  onRateLimit?(method: string, identifierType: IdentifierType, allowed: boolean): void;
}

export interface RateLimitOptions {
  /** The RateLimiter port's `consume`; store failures are its business (fail open or DEPENDENCY_UNAVAILABLE). */
  readonly consume: RateLimiter['consume'];
  /** Replaces DEFAULT_RATE_LIMIT_RULES; keys are checked against the service at start-up. */
  readonly rules?: Readonly<Record<string, RateLimitRule>>;
  readonly defaultRule?: RateLimitRule;
  /**
   * Read the client IP from `x-forwarded-for` / `x-real-ip` before the peer address (default true, as the
   * original). Turn off when callers can reach the server without a proxy that overwrites those headers.
   */
  readonly trustProxyHeaders?: boolean;
  readonly observer?: RateLimitObserver;
}

/**
 * Who a request counts against: the authenticated principal, else the client IP without its port (the original
 * used the peer address with its port, so every new connection got a fresh budget: flaw #19). Undefined: not
 * counted.
 */
export function rateLimitIdentity(
  call: CallState,
  trustProxyHeaders = true,
): { type: IdentifierType; value: string } | undefined {
  const principal = call.principal;
  if (principal !== undefined) {
    const value = principal.userId !== undefined ? `user:${principal.userId}` : `sub:${principal.subject}`;
    return { type: 'user_id', value };
  }
  const header = (name: string) => {
    const value = call.metadata.get(name)[0];
    return typeof value === 'string' ? value : undefined;
  };
  const forwarded = trustProxyHeaders
    ? (ipOf(header('x-forwarded-for')?.split(',')[0]) ?? ipOf(header('x-real-ip')))
    : undefined;
  const ip = forwarded ?? call.peerIp;
  return ip === undefined ? undefined : { type: 'ip', value: ip };
}

/** Per-RPC limits; a rejection is RESOURCE_EXHAUSTED `rate limit exceeded: ...` with a RetryInfo delay. */
export function rateLimitInterceptor(options: RateLimitOptions): Interceptor {
  const rules = options.rules ?? DEFAULT_RATE_LIMIT_RULES;
  assertRpcTable('the gRPC rate-limit table', rules);
  const fallback = options.defaultRule ?? DEFAULT_RATE_LIMIT_RULE;
  return async (call, next) => {
    const identity = rateLimitIdentity(call, options.trustProxyHeaders);
    if (identity === undefined) return next(call);
    const rule = (rules as Partial<Record<string, RateLimitRule>>)[call.rpc] ?? fallback;
    // The port's key: {scope}:{identifier}, scope = the method path without its slash, `/` → `:` (as §7).
    const key = `${call.path.slice(1).replace('/', ':')}:${identity.value}`;
    // Raced against the call's abort: the deadline layer above does not race (context.ts, Interceptor).
    const decision = await Promise.race([options.consume(key, rule), call.aborted]);
    options.observer?.onRateLimit?.(call.path, identity.type, decision.allowed);
    if (!decision.allowed) {
      throw new AppError(
        'RATE_LIMITED',
        `rate limit exceeded: maximum ${rule.limit} requests per ${formatGoDuration(rule.windowMs)}`,
        { retryAfterMs: Math.max(0, decision.retryAfterMs), details: { limit: decision.limit } },
      );
    }
    return next(call);
  };
}
