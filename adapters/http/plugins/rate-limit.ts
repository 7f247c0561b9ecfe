import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from '../../../ports/rate-limiter.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { routeFacts } from '../route-facts.ts';

const MINUTE = 60_000;

/** What a REST route does, for choosing its limit (mirrors the gRPC table of §7). */
export type RestRouteKind = 'read' | 'search' | 'write' | 'delete' | 'other';

/** §7's table, applied to the REST routes of the same operations. */
export const DEFAULT_REST_RATE_LIMIT_RULES: Readonly<Record<RestRouteKind, RateLimitRule>> = {
  read: { limit: 200, windowMs: MINUTE },
  search: { limit: 300, windowMs: MINUTE },
  write: { limit: 50, windowMs: MINUTE },
  delete: { limit: 20, windowMs: MINUTE },
  other: { limit: 100, windowMs: MINUTE },
};

/** The `identifier_type` metric label: an authenticated caller, or a client IP. */
export type RestIdentifierType = 'user_id' | 'ip';

export interface HttpRateLimitObserver {
  /** One counted request; `route` is the route template (`/api/v1/listings/:id`), never a URL. */
  onRateLimit?(route: string, identifierType: RestIdentifierType, allowed: boolean): void;
}

export interface HttpRateLimitOptions {
  /** The RateLimiter port's `consume`; store failures are its business (fail open or DEPENDENCY_UNAVAILABLE). */
  readonly consume: RateLimiter['consume'];
  /** Overrides rules of {@link DEFAULT_REST_RATE_LIMIT_RULES} by route kind. */
  readonly rules?: Readonly<Partial<Record<RestRouteKind, RateLimitRule>>>;
  readonly observer?: HttpRateLimitObserver;
}

/** Probes, metrics and docs: never limited, so an orchestrator or scraper is never refused. */
const UNLIMITED = /^\/(livez|readyz|health(\/.*)?|metrics|openapi\.json|docs(\/.*)?)$/;

const LISTINGS = /^\/api\/v\d+\/listings$/;
const LISTING = /^\/api\/v\d+\/listings\/:id$/;
const SEARCH = /^\/api\/v\d+\/listings\/(search|suggest)$/;

/** The kind of a route, from its method and template. */
export function restRouteKind(method: string, route: string): RestRouteKind {
  if (SEARCH.test(route)) return method === 'GET' ? 'search' : 'other';
  if (LISTINGS.test(route)) return method === 'POST' ? 'write' : method === 'GET' ? 'read' : 'other';
  if (LISTING.test(route)) {
    if (method === 'GET' || method === 'HEAD') return 'read';
    if (method === 'PATCH' || method === 'PUT') return 'write';
    if (method === 'DELETE') return 'delete';
  }
  return 'other';
}

/**
 * Per-route-kind limits on every REST request, keyed `rest:<route template>:<identifier>` (bounded: the template,
 * not the URL). The identifier is the authenticated principal, else the client IP (`request.ip`, no port), so
 * reconnecting does not buy a fresh budget. Every limited response carries `RateLimit-Limit`, `RateLimit-Remaining`
 * and `RateLimit-Reset` (IETF draft, seconds); a rejection is 429 RATE_LIMITED, to which the error handler adds
 * `Retry-After`. Call on the root instance after authentication (it needs `request.principal`), before routes.
 */
export function installRateLimit(app: FastifyInstance, options: HttpRateLimitOptions): void {
  const rules = { ...DEFAULT_REST_RATE_LIMIT_RULES, ...options.rules };
  app.addHook('onRequest', async (request, reply) => {
    // CORS preflights are answered before this hook; an OPTIONS that reaches it is still counted.
    const route = routeFacts(request).url ?? 'unmatched';
    if (UNLIMITED.test(route)) return;
    const identity = identityOf(request);
    const rule = rules[restRouteKind(request.method, route)];
    const decision = await options.consume(`rest:${route}:${identity.value}`, rule);
    options.observer?.onRateLimit?.(route, identity.type, decision.allowed);
    setRateLimitHeaders(reply, decision);
    if (!decision.allowed) {
      throw new AppError(
        'RATE_LIMITED',
        `rate limit exceeded: maximum ${rule.limit} requests per ${rule.windowMs / 1000} s`,
        { retryAfterMs: Math.max(1, decision.retryAfterMs), details: { limit: decision.limit } },
      );
    }
  });
}

function identityOf(request: FastifyRequest): { type: RestIdentifierType; value: string } {
  const principal = request.principal;
  if (principal !== undefined) {
    const value = principal.userId !== undefined ? `user:${principal.userId}` : `sub:${principal.subject}`;
    return { type: 'user_id', value };
  }
  return { type: 'ip', value: `ip:${request.ip}` };
}

function setRateLimitHeaders(reply: FastifyReply, decision: RateLimitDecision): void {
  reply.header('ratelimit-limit', decision.limit);
  reply.header('ratelimit-remaining', Math.max(0, decision.remaining));
  reply.header('ratelimit-reset', Math.ceil(Math.max(0, decision.resetMs) / 1000));
}
