/**
 * Coalesces concurrent loads of one key into one call: while a load for `key` is in flight, every other caller
 * asking for `key` gets the same promise. Once it settles (resolved or rejected) the key is free again, so nothing
 * is cached here: this only protects the database from a stampede of identical misses (the cache port leaves that
 * to the caller).
 */
export class SingleFlight {
  readonly #inflight = new Map<string, Promise<unknown>>();

  /** Runs `load` unless a load of `key` is already running, in which case its promise is shared. */
  run<T>(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.#inflight.get(key);
    if (running !== undefined) return running as Promise<T>;
    // A load that throws before returning its promise is a rejected flight, like one that rejects.
    let started: Promise<T>;
    try {
      started = load();
    } catch (error) {
      started = Promise.reject(error);
    }
    const flight = started.finally(() => {
      // A newer flight may have replaced this one after forget(); leave that one alone.
      if (this.#inflight.get(key) === flight) this.#inflight.delete(key);
    });
    this.#inflight.set(key, flight);
    return flight;
  }

  /**
   * Stops sharing the running load of `key`: callers arriving after this start a new load. Writers call it after a
   * commit, so a read that began before the commit is not handed to readers that must see the write.
   */
  forget(key: string): void {
    this.#inflight.delete(key);
  }

  /** Loads in flight, for tests and diagnostics. */
  get size(): number {
    return this.#inflight.size;
  }
}
