import type { Clock } from '../../ports/clock.ts';

/** The machine's clocks: wall time for stored timestamps, `performance.now()` for durations. */
export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
};
