/** Something with a deadline, as {@link DeadlineTimer} tracks it. */
export interface Expiring {
  /** The duration the deadline was set with, in ms: entries of one duration expire in the order they were added. */
  readonly timeoutMs: number;
  /** `performance.now()` at which it expires. */
  readonly expiresAt: number;
  /** Called once, when `expiresAt` has passed and the entry is still tracked. */
  expire(): void;
}

/**
 * One timer for every in-flight deadline, instead of a `setTimeout` and `clearTimeout` per request.
 *
 * Entries are kept in one insertion-ordered set per duration. Within a set, later entries expire later (the clock is
 * monotonic), so the first entry of each set is the next to expire there, and nothing needs sorting: adding and
 * removing are O(1). The timer is armed for the earliest first entry; most requests finish long before their
 * deadline, so when it fires it usually finds that entry gone, expires nothing and re-arms for the current first
 * entries: about one wake-up per deadline duration under steady traffic, whatever the request rate. The timer is
 * unref'd: pending deadlines never keep the process alive.
 */
export class DeadlineTimer {
  readonly #byDuration = new Map<number, Set<Expiring>>();
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #armedFor = Number.POSITIVE_INFINITY;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  add(entry: Expiring): void {
    let entries = this.#byDuration.get(entry.timeoutMs);
    if (entries === undefined) {
      entries = new Set();
      this.#byDuration.set(entry.timeoutMs, entries);
    }
    entries.add(entry);
    if (entry.expiresAt < this.#armedFor) this.#arm(entry.expiresAt);
  }

  /** Stops tracking `entry` (its request finished); unknown entries are ignored. */
  delete(entry: Expiring): void {
    this.#byDuration.get(entry.timeoutMs)?.delete(entry);
  }

  /** Entries tracked, for tests and diagnostics. */
  get size(): number {
    let size = 0;
    for (const entries of this.#byDuration.values()) size += entries.size;
    return size;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = this.#now();
    let next = Number.POSITIVE_INFINITY;
    for (const entries of this.#byDuration.values()) {
      for (const entry of entries) {
        if (entry.expiresAt > now) {
          next = Math.min(next, entry.expiresAt);
          break;
        }
        entries.delete(entry);
        try {
          entry.expire();
        } catch {
          // One entry's failure must not stop the others from expiring.
        }
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, Math.ceil(at - this.#now())));
    this.#timer.unref();
  }
}
