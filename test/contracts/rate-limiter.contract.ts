import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from '../../ports/rate-limiter.ts';
import { AppError } from '../../src/domain/errors.ts';
import { eventually } from './cache.contract.ts';

/**
 * The behaviour every `RateLimiter` adapter must show (ports/rate-limiter.ts: GCRA, `limit` per `windowMs`, an idle
 * key may spend `burst` at once, `burst` defaults to `limit`). Budgets are counted with long windows, so refill during
 * a test is negligible; the one test of refill polls with a bounded wait rather than sleeping a fixed time.
 */
export function describeRateLimiterContract(
  name: string,
  makeLimiter: () => RateLimiter | Promise<RateLimiter>,
  cleanup: (limiter: RateLimiter) => void | Promise<void> = () => {},
): void {
  describe(`RateLimiter contract: ${name}`, () => {
    let limiter: RateLimiter;
    const key = (label: string): string => `contract.Service:${label}:${randomUUID()}`;
    const consumeMany = async (k: string, rule: RateLimitRule, count: number) => {
      const decisions = [];
      for (let i = 0; i < count; i += 1) decisions.push(await limiter.consume(k, rule));
      return decisions;
    };

    beforeAll(async () => {
      limiter = await makeLimiter();
    });

    afterAll(async () => {
      if (limiter) await cleanup(limiter);
    });

    it('allows exactly `limit` requests at once, counting down, then rejects with a retry delay', async () => {
      const rule = { limit: 5, windowMs: 60_000 };
      const decisions = await consumeMany(key('limit'), rule, 7);
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false]);
      expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
      for (const d of decisions) expect(d.limit).toBe(5);
      for (const d of decisions.slice(0, 5)) expect(d.retryAfterMs).toBe(0);
      const rejected = decisions[5]!;
      // One request's worth of refill is windowMs / limit = 12 s.
      expect(rejected.retryAfterMs).toBeGreaterThan(0);
      expect(rejected.retryAfterMs).toBeLessThanOrEqual(12_000);
      expect(rejected.resetMs).toBeGreaterThan(rejected.retryAfterMs);
      expect(rejected.resetMs).toBeLessThanOrEqual(60_000);
    });

    it('lets an idle key spend `burst` at once when burst exceeds limit', async () => {
      const rule = { limit: 2, windowMs: 60_000, burst: 6 };
      const decisions = await consumeMany(key('burst-high'), rule, 8);
      expect(decisions.filter((d) => d.allowed)).toHaveLength(6);
      expect(decisions.slice(0, 6).every((d) => d.allowed)).toBe(true);
      expect(decisions[0]).toMatchObject({ remaining: 5, limit: 6 });
      expect(decisions[6]!.retryAfterMs).toBeGreaterThan(0);
      expect(decisions[6]!.retryAfterMs).toBeLessThanOrEqual(30_000);
    });

    it('caps an idle key at `burst` when burst is below limit', async () => {
      const decisions = await consumeMany(key('burst-low'), { limit: 100, windowMs: 600_000, burst: 3 }, 5);
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    });

    it('handles a fractional interval (limit not dividing the window) without losing a request', async () => {
      const decisions = await consumeMany(key('fraction'), { limit: 3, windowMs: 1_000_000 }, 4);
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    });

    it('does not extend the wait for requests that were rejected', async () => {
      const k = key('hammer');
      const rule = { limit: 1, windowMs: 60_000 };
      await consumeMany(k, rule, 1);
      const first = await limiter.consume(k, rule);
      const later = await consumeMany(k, rule, 5);
      expect(first.allowed).toBe(false);
      for (const d of later) {
        expect(d.allowed).toBe(false);
        expect(d.retryAfterMs).toBeLessThanOrEqual(first.retryAfterMs);
      }
    });

    it('keeps separate keys independent', async () => {
      const rule = { limit: 2, windowMs: 60_000 };
      const [a, b] = [key('independent-a'), key('independent-b')];
      await consumeMany(a, rule, 2);
      expect((await limiter.consume(a, rule)).allowed).toBe(false);
      const forB = await consumeMany(b, rule, 3);
      expect(forB.map((d) => d.allowed)).toEqual([true, true, false]);
    });

    it('gives one request back after retryAfterMs, and the whole budget after resetMs', async () => {
      const k = key('refill');
      const rule = { limit: 2, windowMs: 400 };
      const spent = await consumeMany(k, rule, 3);
      expect(spent.map((d) => d.allowed)).toEqual([true, true, false]);
      // Timers may fire a few ms before the limiter's clock has moved that far, hence a margin and a bounded poll;
      // a rejected attempt changes nothing, so polling does not disturb the budget.
      await sleep(spent[2]!.retryAfterMs + TIMER_MARGIN_MS);
      let refilled: RateLimitDecision | undefined;
      await eventually(async () => {
        refilled = await limiter.consume(k, rule);
        expect(refilled.allowed).toBe(true);
      });
      await sleep(refilled!.resetMs + TIMER_MARGIN_MS);
      const afterReset = await consumeMany(k, rule, 2);
      expect(afterReset.map((d) => d.allowed)).toEqual([true, true]);
    });

    it('rejects an invalid rule with CONFIG_INVALID', async () => {
      for (const rule of [
        { limit: 0, windowMs: 1_000 },
        { limit: 1.5, windowMs: 1_000 },
        { limit: 10, windowMs: 0 },
        { limit: 10, windowMs: 1_000, burst: 0 },
      ]) {
        const error = await limiter.consume(key('invalid'), rule).catch((e: unknown) => e);
        expect(error, JSON.stringify(rule)).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('CONFIG_INVALID');
      }
    });
  });
}

const TIMER_MARGIN_MS = 30;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
