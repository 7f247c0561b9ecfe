import type { RateLimitDecision, RateLimiter, RateLimitRule } from '../../../ports/rate-limiter.ts';
import { decideGcra, gcraParameters } from './gcra.ts';

export interface MemoryRateLimiterOptions {
  /**
   * Most keys remembered at once. Default 100 000 (a few MB). When full, keys whose bucket is full again (their state
   * no longer matters) are dropped first; if that frees too little, the keys least recently allowed are dropped, which
   * hands them a fresh budget: under that pressure the limiter errs towards allowing.
   */
  readonly maxKeys?: number;
  /** A monotonic clock in ms. Default `performance.now`, which wall-clock adjustments do not move. */
  readonly now?: () => number;
}

/**
 * GCRA in one process: the limiter for the embedded mode and a fallback when Redis is not configured. Each process
 * keeps its own budget, so N instances allow N times the rule; use the Redis adapter for one shared budget.
 * It has no store to lose, so it never fails open or closed.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #maxKeys: number;
  readonly #now: () => number;
  /** key → TAT in ms on `#now`'s scale; insertion order = least recently allowed first. */
  readonly #tats = new Map<string, number>();

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.#maxKeys = Math.max(1, options.maxKeys ?? 100_000);
    this.#now = options.now ?? (() => performance.now());
  }

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const parameters = gcraParameters(rule);
    const now = this.#now();
    const { decision, nextTatMs } = decideGcra(this.#tats.get(key), now, parameters);
    if (nextTatMs !== undefined) {
      this.#tats.delete(key);
      this.#tats.set(key, nextTatMs);
      if (this.#tats.size > this.#maxKeys) this.#shrink(now);
    }
    return decision;
  }

  /** Keys currently remembered; for tests and diagnostics. */
  get size(): number {
    return this.#tats.size;
  }

  /**
   * Drops expired keys, then, if fewer than a tenth of the slots came free, the least recently allowed ones until a
   * tenth is free. Freeing a tenth at a time keeps the O(n) sweep rare: amortised O(1) per request.
   */
  #shrink(now: number): void {
    for (const [key, tat] of this.#tats) {
      if (tat <= now) this.#tats.delete(key);
    }
    // At least one slot stays, so the key just allowed (the newest) is never the one dropped.
    const target = Math.max(1, Math.floor(this.#maxKeys * 0.9));
    for (const key of this.#tats.keys()) {
      if (this.#tats.size <= target) break;
      this.#tats.delete(key);
    }
  }
}
