import { describe, expect, it } from 'vitest';
import { dueCount, dueOffsetMs, highestHeld, requestsInStep, stepRates } from '../../../bench/load/schedule.ts';

describe('stepRates', () => {
  it('multiplies the start rate by the factor at every step, rounded', () => {
    expect(stepRates({ startRate: 50, factor: 1.5, maxSteps: 5, stepMs: 1 })).toEqual([50, 75, 113, 169, 253]);
    expect(stepRates({ startRate: 25, factor: 2, maxSteps: 4, stepMs: 1 })).toEqual([25, 50, 100, 200]);
  });

  it('always goes up, even where rounding would repeat a rate', () => {
    expect(stepRates({ startRate: 1, factor: 1.1, maxSteps: 4, stepMs: 1 })).toEqual([1, 2, 3, 4]);
  });

  it('refuses a plan that would never go up or has no step', () => {
    expect(() => stepRates({ startRate: 10, factor: 1, maxSteps: 3, stepMs: 1 })).toThrow(/factor > 1/);
    expect(() => stepRates({ startRate: 0, factor: 2, maxSteps: 3, stepMs: 1 })).toThrow();
    expect(() => stepRates({ startRate: 10, factor: 2, maxSteps: 0, stepMs: 1 })).toThrow();
  });
});

describe('open-loop arrivals', () => {
  it('sends rate x duration requests per step', () => {
    expect(requestsInStep(200, 30_000)).toBe(6_000);
    expect(requestsInStep(3, 500)).toBe(2);
  });

  it('spaces requests evenly: request i is due i / rate seconds after the start', () => {
    expect([0, 1, 2, 10].map((i) => dueOffsetMs(200, i))).toEqual([0, 5, 10, 50]);
  });

  it('makes the first request due at once and then one more per 1 / rate, whatever was answered', () => {
    expect(dueCount(200, -1, 100)).toBe(0);
    expect(dueCount(200, 0, 100)).toBe(1);
    expect(dueCount(200, 4.9, 100)).toBe(1);
    expect(dueCount(200, 5, 100)).toBe(2);
    // A late wake-up sends everything that fell due meanwhile in one go.
    expect(dueCount(200, 52, 100)).toBe(11);
  });

  it('never makes more than the step holds due', () => {
    expect(dueCount(200, 60_000, 100)).toBe(100);
  });

  it('agrees with the due offsets: request i is due exactly when dueCount passes i', () => {
    for (const rate of [7, 25, 113, 1_000]) {
      for (let i = 0; i < 50; i++) {
        const at = dueOffsetMs(rate, i);
        expect(dueCount(rate, at + 1e-6, 1_000)).toBeGreaterThan(i);
        if (i > 0) expect(dueCount(rate, at - 1e-6, 1_000)).toBe(i);
      }
    }
  });
});

describe('highestHeld', () => {
  it('is the rate of the last step that held before the first that broke', () => {
    const steps = [
      { rate: 50, held: true },
      { rate: 75, held: true },
      { rate: 113, held: false },
      { rate: 169, held: true },
    ];
    expect(highestHeld(steps)).toBe(75);
  });

  it('is the last rate when every step held, and undefined when the first broke', () => {
    expect(highestHeld([{ rate: 50, held: true }])).toBe(50);
    expect(highestHeld([{ rate: 50, held: false }])).toBeUndefined();
    expect(highestHeld([])).toBeUndefined();
  });
});
