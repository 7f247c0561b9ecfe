/**
 * Retry delays for indexing jobs (and any other retried work): exponential with "equal jitter", so retries of
 * jobs that failed together spread out but none retries sooner than half its nominal delay.
 * attempt 1 → 1–2 s, 2 → 2–4 s, 3 → 4–8 s, ... capped at `maxMs`.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 10 * 60_000 };

/**
 * Delay before retry number `attempt` (1 = the first retry). `random` is a value in [0, 1), passed in so the
 * function stays pure and testable (`Math.random()` in production).
 */
export function retryDelayMs(attempt: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const nominal = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const half = nominal / 2;
  return Math.round(half + Math.min(Math.max(random, 0), 1) * half);
}
