/**
 * A read cache in front of the database, as the core needs it (listing by id, search results).
 *
 * **Values are strings.** The caller serialises compactly (`JSON.stringify` without indentation) and parses what it
 * reads back; adapters store the string as it is (UTF-8 in Redis) and never interpret it. A value that fails to parse
 * should be treated as a miss. Strings keep the port free of any codec and let the in-process adapter share values
 * without copying them.
 *
 * **Failures never reach the caller.** A cache is an optimisation: when the store is unreachable, slow or answers
 * with an error, `get`/`getMany` resolve to misses, `set`/`delete`/`bumpGeneration` resolve without effect, and
 * `generation` resolves `undefined`. The adapter reports each such failure to the {@link CacheObserver} it was built
 * with, and the use case falls back to the database. No method rejects.
 *
 * **Concurrent misses are coalesced by the caller**, not by the adapter: a use case that reads through the cache
 * wraps the database read in a single-flight helper keyed like the cache entry, so one expired hot key causes one
 * database read rather than one per waiting request.
 *
 * **Keys** are the caller's, e.g. `listing:42` or `search:g17:{hash of every parameter}`. Adapters may add a prefix
 * (the Redis adapter adds `listings:` by default). The key heads `generation:` and `rate_limit:` are reserved for the
 * adapters' own bookkeeping. Callers keep keys short and bounded: hash long parameter lists rather than embedding them.
 *
 * **Hit and miss metrics** (`listings_cache_hits_total{cache_type}`) are counted by the caller, the only one who knows
 * the cache type of a key.
 */
export interface Cache {
  /** The value stored under `key`, or `undefined` when absent, expired, or the store failed. */
  get(key: string): Promise<string | undefined>;

  /** Like {@link Cache.get} for several keys in one round trip; the result has one slot per key, in order. */
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;

  /**
   * Stores `value` under `key` for `ttlMs` milliseconds (rounded up to a whole millisecond), replacing any previous
   * value and TTL. A `ttlMs` that is not a positive finite number stores nothing and removes the key, as if the entry had
   * already expired. Adapters with a size bound may drop a value larger than that bound (a later `get` misses).
   */
  set(key: string, value: string, ttlMs: number): Promise<void>;

  /** Removes the given keys; absent keys are ignored. An empty list does nothing. */
  delete(keys: string | readonly string[]): Promise<void>;

  /**
   * The current generation of a family of entries (a namespace such as `search`), or `undefined` when the store
   * failed. Callers put it in their keys (`search:g{generation}:...`) so that {@link Cache.bumpGeneration}
   * invalidates the whole family in O(1): old entries are no longer addressed and expire by their TTL.
   *
   * Guarantees: a generation never goes backwards for a namespace, even if the store loses the counter (adapters
   * restart it from a value above any they have handed out, e.g. the store's clock in ms), so an entry written under
   * an old generation is never read again. On `undefined`, callers skip the cache for that family (neither read nor
   * write), since they cannot tell which entries are current.
   *
   * Read the generation *before* reading the database: an entry computed from data older than a concurrent bump then
   * lands under the old generation, where no one reads it.
   */
  generation(namespace: string): Promise<number | undefined>;

  /**
   * Moves the namespace to a new, higher generation, orphaning every entry of the family. If the store fails, the
   * family's entries stay visible until their TTL ends (which is why families such as search keep TTLs short), and the
   * failure is reported to the observer.
   */
  bumpGeneration(namespace: string): Promise<void>;
}

/** The cache operation that failed, as reported to {@link CacheObserver.onError}. */
export type CacheOperation = 'get' | 'getMany' | 'set' | 'delete' | 'generation' | 'bumpGeneration';

/**
 * Told about every failure an adapter swallowed, so that it is logged and counted rather than lost. `error` is an
 * `AppError` with code `DEPENDENCY_UNAVAILABLE` whose `cause` is the store's own error. Implementations must not
 * throw (adapters ignore anything they throw) and should be cheap: they run on the request path.
 */
export interface CacheObserver {
  onError(operation: CacheOperation, error: unknown): void;
}
