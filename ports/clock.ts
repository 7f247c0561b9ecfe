/**
 * Time, injected so use cases and tests agree on "now" (the test config uses a settable clock).
 */
export interface Clock {
  /** Wall-clock time, for stored timestamps (`created_at`, `published_at`, `deleted_at`). */
  now(): Date;

  /**
   * Milliseconds from an arbitrary origin that never goes backwards (`performance.now()`), for durations,
   * deadlines and timeouts; immune to wall-clock jumps. Only differences are meaningful.
   */
  monotonicMs(): number;
}
