/**
 * Stops claiming while the search engine is down. Each claim counts as an attempt and a job dies after its last
 * one (3 by default), so a worker that kept claiming through a long outage would turn the whole queue into dead
 * letters. When a whole call fails retryably the breaker opens; claims wait until a cheap read (`count()`) answers,
 * probed after 2 s, then 4 s, ... up to 1 min. The delay is reset only by a batch that got something done, so an
 * engine that answers reads but refuses writes is probed ever more slowly instead of eating attempts.
 */
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { IndexWorkerObserver } from './index-worker-observer.ts';

export interface BreakerPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = { initialMs: 2_000, maxMs: 60_000 };

export class EngineBreaker {
  readonly #clock: Clock;
  readonly #probe: () => Promise<unknown>;
  readonly #policy: BreakerPolicy;
  readonly #observer: IndexWorkerObserver;
  readonly #logger: Logger;
  #open = false;
  #delayMs: number;
  #probeAt = 0;
  #probing: Promise<boolean> | undefined;

  constructor(deps: {
    clock: Clock;
    probe: () => Promise<unknown>;
    policy: BreakerPolicy;
    observer: IndexWorkerObserver;
    logger: Logger;
  }) {
    this.#clock = deps.clock;
    this.#probe = deps.probe;
    this.#policy = deps.policy;
    this.#observer = deps.observer;
    this.#logger = deps.logger;
    this.#delayMs = deps.policy.initialMs;
  }

  get open(): boolean {
    return this.#open;
  }

  /** Milliseconds until the next probe (0 when closed or due). */
  msUntilProbe(): number {
    return this.#open ? Math.max(0, this.#probeAt - this.#clock.monotonicMs()) : 0;
  }

  /** True when claims may go on: closed, or a due probe (one at a time, shared by every loop) just succeeded. */
  ready(): Promise<boolean> {
    if (!this.#open) return Promise.resolve(true);
    if (this.#clock.monotonicMs() < this.#probeAt) return Promise.resolve(false);
    this.#probing ??= this.#runProbe().finally(() => {
      this.#probing = undefined;
    });
    return this.#probing;
  }

  /** A call failed for every item with a retryable reason. */
  trip(): void {
    if (!this.#open) {
      this.#open = true;
      this.#observer.engineAvailability(false);
      this.#logger.warn({ probe_in_ms: this.#delayMs }, 'indexing: the search engine looks down; claims paused');
    }
    this.#probeAt = this.#clock.monotonicMs() + this.#delayMs;
    this.#delayMs = Math.min(this.#policy.maxMs, this.#delayMs * 2);
  }

  /** A batch got at least one item done: the engine works. */
  succeeded(): void {
    this.#delayMs = this.#policy.initialMs;
  }

  async #runProbe(): Promise<boolean> {
    try {
      await this.#probe();
    } catch (error) {
      this.#observer.error('probe_failed');
      this.#logger.debug({ err: error }, 'indexing: the search engine is still down');
      this.#probeAt = this.#clock.monotonicMs() + this.#delayMs;
      this.#delayMs = Math.min(this.#policy.maxMs, this.#delayMs * 2);
      return false;
    }
    this.#open = false;
    this.#observer.engineAvailability(true);
    this.#logger.info({}, 'indexing: the search engine answers again; claims resume');
    return true;
  }
}
