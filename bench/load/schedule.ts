/**
 * When requests are sent. The load is an open loop: request `i` of a step is due `i / rate` seconds after the
 * step starts, whatever happened to the earlier ones, and its latency is measured from that due time, so time a
 * request spends waiting behind slow ones (in the client's connection queue or the server's) is counted instead of
 * silently not being sent (coordinated omission). The rate goes up geometrically, step after step, until the SLO
 * breaks.
 */
export interface StepPlan {
  /** Requests per second of the first step. */
  readonly startRate: number;
  /** Each step's rate over the previous one's (> 1). */
  readonly factor: number;
  readonly maxSteps: number;
  /** How long each step sends. */
  readonly stepMs: number;
}

/** The offered rate of every step: `startRate * factor^k` rounded, always at least one more than the previous. */
export function stepRates(plan: StepPlan): number[] {
  if (plan.startRate <= 0 || plan.factor <= 1 || plan.maxSteps < 1) {
    throw new Error('a step plan needs startRate > 0, factor > 1 and maxSteps >= 1');
  }
  const rates: number[] = [];
  for (let k = 0; k < plan.maxSteps; k++) {
    const rate = Math.round(plan.startRate * plan.factor ** k);
    rates.push(Math.max(rate, (rates.at(-1) ?? 0) + 1));
  }
  return rates;
}

/** Requests a step of `durationMs` at `rate` per second sends (the last due strictly before its end). */
export function requestsInStep(rate: number, durationMs: number): number {
  return Math.ceil((durationMs * rate) / 1000);
}

/** Milliseconds after the step's start at which request `index` is due. */
export function dueOffsetMs(rate: number, index: number): number {
  return (index * 1000) / rate;
}

/** How many of the step's `total` requests are due `elapsedMs` after its start (request 0 is due at once). */
export function dueCount(rate: number, elapsedMs: number, total: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(total, Math.floor((elapsedMs * rate) / 1000) + 1);
}

/** The rate of the last step that held before the first that broke, or undefined when the first one broke. */
export function highestHeld(steps: readonly { readonly rate: number; readonly held: boolean }[]): number | undefined {
  let held: number | undefined;
  for (const step of steps) {
    if (!step.held) break;
    held = step.rate;
  }
  return held;
}
