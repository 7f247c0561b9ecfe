import type { Cache } from '../../ports/cache.ts';
import type { CoreMetrics } from '../../ports/core-metrics.ts';
import { SingleFlight } from './single-flight.ts';

export interface GenerationalCacheOptions<T> {
  readonly cache: Cache;
  readonly metrics: CoreMetrics;
  /** The `cache_type` metric label of positive entries (`listing`); negative hits are counted as `negative`. */
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
  /** Share one group between caches only if their namespaces cannot collide. Default: a group of its own. */
  readonly flights?: SingleFlight;
}

/** What a negative entry holds: not JSON, so no encoding of a value can be mistaken for it. */
const NOT_FOUND = '-';

/**
 * Cache-aside reads of one value per namespace (`listing:42`), invalidated by generation rather than by delete.
 *
 * The key is `{namespace}:g{generation}:{format}`. A reader takes the generation *before* it reads the database; a
 * writer bumps it *after* its commit. So a value read from the database before a commit can only be stored under
 * the old generation, which nobody reads again: a write never leaves a stale entry readable once the writer has
 * returned (the race a plain delete-after-commit loses against a slow concurrent reader).
 *
 * Misses are loaded through single-flight on the full key, so N concurrent misses cost one load, and a reader
 * arriving after a bump (new key) never joins a load that began before it. "Not found" is cached for a short TTL.
 * The cache is never allowed to fail a read: a failing store (even one that breaks the port's no-reject rule)
 * degrades to the loader.
 */
export class GenerationalCache<T> {
  readonly #options: GenerationalCacheOptions<T>;
  readonly #flights: SingleFlight;
  readonly #format: string;

  constructor(options: GenerationalCacheOptions<T>) {
    this.#options = options;
    this.#flights = options.flights ?? new SingleFlight();
    this.#format = options.format ?? 'v1';
  }

  /** The value of `namespace`, from the cache or from `load` (null = not found). */
  async read(namespace: string, load: () => Promise<T | null>): Promise<T | null> {
    const { cache, metrics, cacheType } = this.#options;
    const generation = await this.#attempt('generation', () => cache.generation(namespace), undefined);
    if (generation === undefined) {
      // The store cannot say which entries are current: neither read nor write it, but still coalesce.
      metrics.cacheLookup(cacheType, 'error');
      return this.#flights.run(namespace, load);
    }
    const key = `${namespace}:g${generation}:${this.#format}`;
    const text = await this.#attempt('get', () => cache.get(key), undefined);
    if (text === NOT_FOUND) {
      metrics.cacheLookup('negative', 'hit');
      return null;
    }
    if (text !== undefined) {
      const value = this.#options.decode(text);
      if (value !== undefined) {
        metrics.cacheLookup(cacheType, 'hit');
        return value;
      }
    }
    metrics.cacheLookup(cacheType, 'miss');
    return this.#flights.run(key, async () => {
      const value = await load();
      await this.#store(key, value);
      return value;
    });
  }

  /** Orphans the entries of these namespaces. Call after the write committed, and before answering the writer. */
  async invalidate(namespaces: readonly string[]): Promise<void> {
    const { cache } = this.#options;
    await Promise.all(
      namespaces.map((namespace) => {
        this.#flights.forget(namespace);
        return this.#attempt('bumpGeneration', () => cache.bumpGeneration(namespace), undefined);
      }),
    );
  }

  async #store(key: string, value: T | null): Promise<void> {
    const { cache, encode, ttlMs, negativeTtlMs } = this.#options;
    if (value === null) {
      if (negativeTtlMs > 0) await this.#attempt('set', () => cache.set(key, NOT_FOUND, negativeTtlMs), undefined);
      return;
    }
    await this.#attempt('set', () => cache.set(key, encode(value), ttlMs), undefined);
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
