import { describe, expect, it } from 'vitest';
import { decideGcra, freshKeyDecision, gcraParameters } from '../../../adapters/memory/rate-limiter/gcra.ts';
import { MemoryRateLimiter } from '../../../adapters/memory/rate-limiter/memory-rate-limiter.ts';
import { describeRateLimiterContract } from '../../contracts/rate-limiter.contract.ts';

describeRateLimiterContract('memory', () => new MemoryRateLimiter());

function manualClock(start = 10_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('GCRA arithmetic', () => {
  it('refills one request per windowMs / limit and never above the burst', () => {
    const p = gcraParameters({ limit: 10, windowMs: 1_000, burst: 3 });
    expect(p).toEqual({ intervalMs: 100, capacity: 3 });
    let tat: number | undefined;
    let now = 0;
    const step = () => {
      const outcome = decideGcra(tat, now, p);
      tat = outcome.nextTatMs ?? tat;
      return outcome.decision;
    };
    expect([step(), step(), step(), step()].map((d) => d.allowed)).toEqual([true, true, true, false]);
    now += 99;
    expect(step()).toMatchObject({ allowed: false, retryAfterMs: 1 });
    now += 1;
    expect(step()).toMatchObject({ allowed: true, remaining: 0, resetMs: 300 });
    now += 10_000;
    expect(step()).toMatchObject({ allowed: true, remaining: 2, resetMs: 100 });
  });

  it('reports reset as the time until the bucket is full again', () => {
    const p = gcraParameters({ limit: 4, windowMs: 1_000 });
    const first = decideGcra(undefined, 0, p);
    expect(first.decision).toEqual({ allowed: true, remaining: 3, limit: 4, resetMs: 250, retryAfterMs: 0 });
    const second = decideGcra(first.nextTatMs, 0, p);
    expect(second.decision.resetMs).toBe(500);
  });

  it('grants exactly the burst with intervals that floating point cannot represent', () => {
    for (const [limit, windowMs] of [
      [3, 1_000],
      [7, 1_000],
      [30, 1_000],
      [200, 60_000],
    ] as const) {
      const p = gcraParameters({ limit, windowMs });
      let tat: number | undefined;
      let allowed = 0;
      for (let i = 0; i < limit + 2; i += 1) {
        const outcome = decideGcra(tat, 123_456.789, p);
        if (outcome.decision.allowed) allowed += 1;
        tat = outcome.nextTatMs ?? tat;
      }
      expect(allowed, `${limit}/${windowMs}`).toBe(limit);
    }
  });

  it('describes a fresh key for failing open', () => {
    expect(freshKeyDecision(gcraParameters({ limit: 5, windowMs: 60_000, burst: 8 }))).toEqual({
      allowed: true,
      remaining: 7,
      limit: 8,
      resetMs: 12_000,
      retryAfterMs: 0,
    });
  });
});

describe('MemoryRateLimiter key map', () => {
  it('stays within maxKeys, dropping expired keys before live ones', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter({ maxKeys: 10, now: clock.now });
    const rule = { limit: 1, windowMs: 1_000 };
    for (let i = 0; i < 5; i += 1) await limiter.consume(`old-${i}`, rule);
    clock.advance(1_000); // the five `old-*` buckets are full again: their state no longer matters
    const live = { limit: 1, windowMs: 60_000 };
    for (let i = 0; i < 6; i += 1) await limiter.consume(`live-${i}`, live);
    expect(limiter.size).toBeLessThanOrEqual(10);
    for (let i = 0; i < 6; i += 1) expect((await limiter.consume(`live-${i}`, live)).allowed).toBe(false);
  });

  it('never holds more than maxKeys under a flood of distinct live keys', async () => {
    const limiter = new MemoryRateLimiter({ maxKeys: 100, now: manualClock().now });
    for (let i = 0; i < 1_000; i += 1) await limiter.consume(`flood-${i}`, { limit: 1, windowMs: 60_000 });
    expect(limiter.size).toBeLessThanOrEqual(100);
    expect((await limiter.consume('flood-999', { limit: 1, windowMs: 60_000 })).allowed).toBe(false);
  });

  it('does not remember rejected requests', async () => {
    const limiter = new MemoryRateLimiter({ now: manualClock().now });
    const rule = { limit: 1, windowMs: 60_000 };
    await limiter.consume('k', rule);
    await limiter.consume('k', rule);
    expect(limiter.size).toBe(1);
  });
});
