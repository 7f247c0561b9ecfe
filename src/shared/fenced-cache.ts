import type { Cache } from '../../ports/cache.ts';
import type { CoreMetrics } from '../../ports/core-metrics.ts';
import { deepFreeze } from './deep-freeze.ts';
import { SingleFlight } from './single-flight.ts';

export interface FencedCacheOptions<T> {
  /** Undefined when caching is off: reads go to the loader (still coalesced). */
  readonly cache: Cache | undefined;
  readonly metrics: CoreMetrics;
  /** The `cache_type` metric label of found values (`listing`); "not found" hits are counted as `negative`. */
  readonly cacheType: string;
  /** Lifetime of a found value. */
  readonly ttlMs: number;
  /** Lifetime of a "not found" entry; 0 disables negative caching. */
  readonly negativeTtlMs: number;
  readonly encode: (value: T) => string;
  /** The value, or undefined when `text` is not a valid encoding (read as a miss). */
  readonly decode: (text: string) => T | undefined;
  /** Names the encoding in every key, so a format change never reads old entries. Default `v1`. */
  readonly format?: string;
  /** A fresh fence token; default random. Tests may make it predictable. */
  readonly newFence?: () => string;
  /** How many decoded entries are kept for reuse (see {@link FencedCache}); 0 decodes every hit. Default 10 000. */
  readonly decodedEntries?: number;
  /** A monotonic clock in ms, for the lifetime of near copies. Default `performance.now`. */
  readonly now?: () => number;
}

/** The fence when none is stored (never written, or expired). */
const NO_FENCE = '0';

const DEFAULT_DECODED_ENTRIES = 10_000;

/**
 * The last decoding of a key's stored entry: reused while the store returns the very same text, and served as the
 * key's near copy while the store's fence is still `fence` (see {@link FencedCache}).
 */
interface Decoded<T> {
  readonly entry: string;
  readonly value: T | null;
  /** The fence the entry was stored under; a near copy only under a real one (never {@link NO_FENCE}). */
  readonly fence: string;
  /** When it stops being a near copy (monotonic ms); its text may still be reused after that. */
  readonly expiresAt: number;
  /** The key of its fence, made once rather than on every hit. */
  readonly fenceKey: string;
}

/**
 * Cache-aside reads of one value per key (`listing:42`), made safe against the race that a plain
 * delete-after-commit loses: a reader that read the database before a commit and stores its value after the
 * writer's invalidation.
 *
 * Next to each entry lives a *fence* (`{key}:fence`), a token that writers replace after each commit. A reader
 * fetches entry and fence in one round trip (`getMany`); the entry is valid only if it was stored under the current
 * fence. On a miss the reader loads and stores the value tagged with the fence it saw *before* loading, so a value
 * read before a commit is tagged with the old fence and is never served once the writer has returned. Fences live
 * twice as long as entries, so no entry outlives the fence that could expose it. (This is a per-key generation made of
 * ordinary expiring keys: `Cache.generation` keeps one counter per namespace forever, and the in-process cache
 * remembers only a bounded number of namespaces, which per-listing namespaces would overrun.)
 *
 * Misses are coalesced by single-flight per key; an invalidation also stops sharing a load that began before it.
 * "Not found" is cached for a short TTL. The cache never fails a read: a failing store (even one that breaks the
 * port's no-reject rule) degrades to the loader.
 *
 * A hit does not decode again what it decoded, or stored, before: the last decoding of each recently read key is kept
 * with the entry text it came from, and reused when the store returns that same text (the same string from the
 * in-process store, equal text from Redis), fence included. A value stored after a miss is kept the same way, as the
 * decoding of the text it was stored as. These values are shared by every reader, so they are deep-frozen (with the
 * cache off, loaded values are not). The kept decodings are bounded (`decodedEntries`, oldest first out).
 *
 * A kept decoding is also the key's *near copy*: while it is younger than its TTL, a read fetches only the fence (a
 * few bytes instead of the ~1 KB entry, which Redis would otherwise send, and the client decode into a fresh string,
 * on every hit) and serves the near copy if the fence is still the one its entry was stored under. That is the same
 * test a full read makes, so a near copy is never served after an invalidation (here or in another instance) has
 * replaced the fence. It needs a real fence, a random token no store can hand back by accident: a reader that finds
 * no fence (never written, or expired) sets a fresh one before it loads, and an absent fence (or a failing store,
 * which also answers "absent") never validates a near copy. Setting the fence before the load keeps the no-stale
 * rule: a writer's fence set after ours makes our entry unreadable, and one set before ours was set after the
 * writer's commit, so our load sees the write. A near copy made from a read lives one TTL from that read, so an entry
 * whose invalidation was lost (the store unreachable during the write) can be served for up to twice the TTL.
 */
export class FencedCache<T> {
  readonly #options: FencedCacheOptions<T>;
  readonly #flights = new SingleFlight();
  readonly #format: string;
  readonly #newFence: () => string;
  /** Insertion order is age: the first key is the oldest decoding. */
  readonly #decoded = new Map<string, Decoded<T>>();
  readonly #maxDecoded: number;
  readonly #now: () => number;

  constructor(options: FencedCacheOptions<T>) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#maxDecoded = Math.max(0, options.decodedEntries ?? DEFAULT_DECODED_ENTRIES);
    this.#format = options.format ?? 'v1';
    this.#newFence =
      options.newFence ?? (() => `${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`);
  }

  /** The value under `key`, from the cache or from `load` (null = not found). */
  read(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const cache = this.#options.cache;
    if (cache === undefined) return this.#flights.run(key, load);
    const near = this.#decoded.get(key);
    if (near === undefined || near.fence === NO_FENCE || near.expiresAt <= this.#now())
      return this.#readEntry(key, load);
    // Every hit's one store call, as a promise chain rather than an async function: with a remote store each hit
    // waits here, and a suspended async frame is one more object per waiting request.
    let current: Promise<string | undefined>;
    try {
      current = cache.get(near.fenceKey);
    } catch (error) {
      current = Promise.reject(error);
    }
    return current.then(
      // Still a near copy: an invalidation may have dropped it while the fence was on its way.
      (fence) =>
        fence === near.fence && this.#decoded.get(key) === near ? this.#hit(near.value) : this.#readEntry(key, load),
      () => {
        this.#options.metrics.componentError('cache', 'get_failed');
        return this.#readEntry(key, load);
      },
    );
  }

  /** A read without a valid near copy: entry and fence in one round trip, else a load (coalesced per key). */
  async #readEntry(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const { cache, metrics, cacheType } = this.#options;
    if (cache === undefined) return this.#flights.run(key, load);
    const [entry, storedFence] = await this.#attempt('getMany', () => cache.getMany(this.#keys(key)), []);
    const fence = storedFence ?? NO_FENCE;
    const found = entry === undefined ? undefined : this.#decodeOnce(key, entry, fence);
    if (found !== undefined) return this.#hit(found.value);
    metrics.cacheLookup(cacheType, 'miss');
    return this.#flights.run(key, async () => {
      const storeUnder = fence === NO_FENCE ? await this.#setFence(key) : fence;
      const value = await load();
      return this.#store(key, storeUnder, value);
    });
  }

  #hit(value: T | null): T | null {
    this.#options.metrics.cacheLookup(value === null ? 'negative' : this.#options.cacheType, 'hit');
    return value;
  }

  /**
   * The valid entry under `key` without loading, storing or counting anything (validation reads the cache as it is):
   * `{ value }` (null = a cached "not found"), or undefined when nothing valid is cached. Rejects when the store does.
   */
  async peek(key: string): Promise<{ readonly value: T | null } | undefined> {
    const cache = this.#options.cache;
    if (cache === undefined) return undefined;
    const [entry, storedFence] = await cache.getMany(this.#keys(key));
    return entry === undefined ? undefined : this.#decode(entry, storedFence ?? NO_FENCE);
  }

  /** Makes the entries of these keys unreadable. Call after the write committed, and before answering the writer. */
  async invalidate(keys: readonly string[]): Promise<void> {
    const cache = this.#options.cache;
    for (const key of keys) {
      this.#flights.forget(key);
      this.#decoded.delete(key);
    }
    if (cache === undefined) return;
    // The new fence is what makes late stores harmless; deleting the entries only frees their memory early.
    await Promise.all(keys.map((key) => this.#setFence(key)));
    await this.#attempt('delete', () => cache.delete(keys.map((key) => this.#entryKey(key))), undefined);
  }

  /** Gives `key` a fresh fence (outliving every entry it guards) and returns it. */
  async #setFence(key: string): Promise<string> {
    const { cache, ttlMs, negativeTtlMs } = this.#options;
    const fence = this.#newFence();
    if (cache !== undefined) {
      const fenceTtl = 2 * Math.max(ttlMs, negativeTtlMs);
      await this.#attempt('set', () => cache.set(fenceKey(key), fence, fenceTtl), undefined);
    }
    return fence;
  }

  #keys(key: string): [string, string] {
    return [this.#entryKey(key), fenceKey(key)];
  }

  #entryKey(key: string): string {
    return `${key}:${this.#format}`;
  }

  /** {@link FencedCache.#decode}, reusing the value decoded from this very entry text before. */
  #decodeOnce(key: string, entry: string, fence: string): { readonly value: T | null } | undefined {
    const previous = this.#decoded.get(key);
    if (previous !== undefined && previous.entry === entry && previous.fence === fence) {
      // Read from the store again: a near copy once more, for one TTL from now.
      return previous.expiresAt > this.#now() ? previous : this.#remember(key, previous, previous.value === null);
    }
    const found = this.#decode(entry, fence);
    if (found === undefined) return found;
    return this.#remember(key, { entry, value: deepFreeze(found.value), fence }, found.value === null);
  }

  /**
   * Keeps `decoded` as the decoding of `key`'s entry and its near copy for one TTL from now (the oldest kept one goes
   * past the bound) and returns it.
   */
  #remember(key: string, kept: Omit<Decoded<T>, 'expiresAt' | 'fenceKey'>, negative: boolean): Decoded<T> {
    const ttl = negative ? this.#options.negativeTtlMs : this.#options.ttlMs;
    const decoded = { ...kept, expiresAt: this.#now() + ttl, fenceKey: fenceKey(key) };
    if (this.#maxDecoded === 0) return decoded;
    this.#decoded.delete(key);
    this.#decoded.set(key, decoded);
    if (this.#decoded.size > this.#maxDecoded) {
      const oldest = this.#decoded.keys().next().value;
      if (oldest !== undefined) this.#decoded.delete(oldest);
    }
    return decoded;
  }

  /** `{fence}\n{encoded value or empty for "not found"}`; undefined when unreadable or stored under another fence. */
  #decode(entry: string, fence: string): { readonly value: T | null } | undefined {
    const newline = entry.indexOf('\n');
    if (newline < 0 || entry.slice(0, newline) !== fence) return undefined;
    const body = entry.slice(newline + 1);
    if (body === '') return { value: null };
    const value = this.#options.decode(body);
    return value === undefined ? undefined : { value };
  }

  /**
   * Stores what was loaded and returns the value to hand out. A stored value is kept as the decoding of the entry text
   * it was stored as, so the next hit reuses it without decoding (the in-process store returns that very string,
   * Redis an equal one); it is deep-frozen like every shared value, and the callers of this load get it frozen too.
   */
  async #store(key: string, fence: string, value: T | null): Promise<T | null> {
    const { cache, encode, ttlMs, negativeTtlMs } = this.#options;
    if (cache === undefined || (value === null && negativeTtlMs <= 0)) return value;
    const entry = `${fence}\n${value === null ? '' : encode(value)}`;
    const ttl = value === null ? negativeTtlMs : ttlMs;
    await this.#attempt('set', () => cache.set(this.#entryKey(key), entry, ttl), undefined);
    return this.#remember(key, { entry, value: deepFreeze(value), fence }, value === null).value;
  }

  /** Runs a cache call; anything it throws or rejects with becomes `fallback` (the port forbids it, we survive it). */
  async #attempt<R>(operation: string, call: () => Promise<R>, fallback: R): Promise<R> {
    try {
      return await call();
    } catch {
      this.#options.metrics.componentError('cache', `${operation}_failed`);
      return fallback;
    }
  }
}

function fenceKey(key: string): string {
  return `${key}:fence`;
}
