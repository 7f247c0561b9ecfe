import type { RateLimitDecision, RateLimitRule } from '../../../ports/rate-limiter.ts';
import { AppError } from '../../../src/domain/errors.ts';

/**
 * The arithmetic of GCRA, shared by every rate-limiter adapter: the in-process one runs `decideGcra` directly, the
 * Redis one runs the same formulas in Lua (adapters/redis/gcra-script.ts) and takes its parameters from here.
 *
 * State per key is one number, the theoretical arrival time (TAT): when the key's bucket would be full again.
 * A request is allowed when, after adding one emission interval to the TAT, the TAT is at most
 * `capacity × interval` ahead of now. A rejected request leaves the TAT as it was.
 */
export interface GcraParameters {
  /** Milliseconds one request "costs": `windowMs / limit`. May be fractional. */
  readonly intervalMs: number;
  /** Requests an idle key may make at once: the rule's burst, else its limit. */
  readonly capacity: number;
}

/**
 * Slack for floating-point sums of fractional intervals (1000 ms / 3 added three times is not exactly 1000 ms).
 * It is below the 1 µs resolution of Redis `TIME`, so it never grants a request a real clock would refuse.
 */
export const GCRA_EPSILON_MS = 0.001;

/** Validates a rule and derives its parameters; an invalid rule is a configuration error. */
export function gcraParameters(rule: RateLimitRule): GcraParameters {
  const { limit, windowMs } = rule;
  const capacity = rule.burst ?? limit;
  const problems: string[] = [];
  if (!Number.isSafeInteger(limit) || limit < 1) problems.push(`limit must be an integer ≥ 1 (got ${limit})`);
  if (!Number.isFinite(windowMs) || windowMs <= 0) problems.push(`windowMs must be > 0 (got ${windowMs})`);
  if (!Number.isSafeInteger(capacity) || capacity < 1) problems.push(`burst must be an integer ≥ 1 (got ${capacity})`);
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `Invalid rate-limit rule: ${problems.join('; ')}.`, { details: { rule } });
  }
  return { intervalMs: windowMs / limit, capacity };
}

export interface GcraOutcome {
  readonly decision: RateLimitDecision;
  /** The TAT to store when allowed; `undefined` when rejected (the state does not change). */
  readonly nextTatMs: number | undefined;
}

/** Decides one request at `nowMs` for a key whose stored TAT is `tatMs` (`undefined` for an unknown key). */
export function decideGcra(tatMs: number | undefined, nowMs: number, parameters: GcraParameters): GcraOutcome {
  const { intervalMs, capacity } = parameters;
  const span = intervalMs * capacity;
  const tat = tatMs === undefined || tatMs < nowMs ? nowMs : tatMs;
  const nextTat = tat + intervalMs;
  if (nextTat - nowMs <= span + GCRA_EPSILON_MS) {
    const ahead = nextTat - nowMs;
    return {
      decision: {
        allowed: true,
        remaining: Math.floor((span - ahead) / intervalMs + GCRA_EPSILON_MS),
        limit: capacity,
        resetMs: ceilMs(ahead),
        retryAfterMs: 0,
      },
      nextTatMs: nextTat,
    };
  }
  return {
    decision: {
      allowed: false,
      remaining: 0,
      limit: capacity,
      resetMs: ceilMs(tat - nowMs),
      retryAfterMs: Math.max(1, ceilMs(nextTat - nowMs - span)),
    },
    nextTatMs: undefined,
  };
}

/** What a key that has never been seen gets: used when a limiter fails open without asking its store. */
export function freshKeyDecision(parameters: GcraParameters): RateLimitDecision {
  return decideGcra(undefined, 0, parameters).decision;
}

function ceilMs(value: number): number {
  return Math.max(0, Math.ceil(value - GCRA_EPSILON_MS));
}
