import type { Cache } from '../../../ports/cache.ts';

export interface MemoryCacheOptions {
  /** Most entries held at once. Default 10 000. */
  readonly maxEntries?: number;
  /**
   * Approximate bytes held at once, counted as {@link approximateEntryBytes}. Default 64 MiB. A single value larger
   * than this is not stored.
   */
  readonly maxBytes?: number;
  /** Most generation namespaces remembered. Default 1 000; a forgotten one restarts above every generation issued. */
  readonly maxNamespaces?: number;
  /** A monotonic clock in ms, for TTLs. Default `performance.now`, which wall-clock adjustments do not move. */
  readonly now?: () => number;
}

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
  readonly bytes: number;
  /** Read since eviction last passed it: it gets a second chance (moved to the young end) instead of going. */
  used: boolean;
}

/** Per-entry bookkeeping (map slot, entry object, key and value headers), roughly, in bytes. */
const ENTRY_OVERHEAD_BYTES = 96;

/**
 * What an entry is charged against `maxBytes`: two bytes per UTF-16 code unit of key and value (V8's two-byte strings;
 * one-byte Latin-1 strings cost less, so this over-counts them) plus a fixed overhead. Cheap to compute, and an upper
 * bound for everything but the fixed part, which is what a memory bound needs.
 */
export function approximateEntryBytes(key: string, value: string): number {
  return 2 * (key.length + value.length) + ENTRY_OVERHEAD_BYTES;
}

/**
 * An in-process LRU cache: the cache of the embedded mode, and the cache of a single instance without Redis.
 *
 * Bounded by entry count and approximate bytes; when either bound is exceeded the least recently used entries go
 * first, as the second-chance (CLOCK) approximation of LRU decides: a read only marks its entry, and eviction moves a
 * marked entry to the young end once instead of dropping it. Moving the entry on every read cost two Map operations
 * per cache hit, a measurable share of a cached REST GET. Expired entries are removed when read, or when eviction reaches them; until then they count against the
 * bounds, which therefore still hold. All operations are O(1) (amortised, counting evictions), and nothing can fail,
 * so no observer is needed. Each process has its own copy: a `delete` or `bumpGeneration` in one instance does not
 * reach another, so with several instances prefer Redis or keep TTLs short.
 */
export class MemoryCache implements Cache {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #maxNamespaces: number;
  readonly #now: () => number;
  /** Map order is insertion order, refreshed by second chances: the first unmarked entry is the next to go. */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  readonly #generations = new Map<string, number>();
  /** The last generation handed out in any namespace; every new one is higher, so none is ever reused. */
  #lastGeneration = 0;

  constructor(options: MemoryCacheOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.#maxBytes = Math.max(1, options.maxBytes ?? 64 * 1024 * 1024);
    this.#maxNamespaces = Math.max(1, options.maxNamespaces ?? 1_000);
    this.#now = options.now ?? (() => performance.now());
  }

  async get(key: string): Promise<string | undefined> {
    return this.#read(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return keys.map((key) => this.#read(key));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#remove(key);
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) return;
    const bytes = approximateEntryBytes(key, value);
    if (bytes > this.#maxBytes) return;
    this.#entries.set(key, { value, expiresAt: this.#now() + Math.ceil(ttlMs), bytes, used: false });
    this.#bytes += bytes;
    this.#evict();
  }

  async delete(keys: string | readonly string[]): Promise<void> {
    for (const key of typeof keys === 'string' ? [keys] : keys) this.#remove(key);
  }

  async generation(namespace: string): Promise<number> {
    const current = this.#generations.get(namespace);
    if (current === undefined) return this.#issueGeneration(namespace);
    this.#generations.delete(namespace);
    this.#generations.set(namespace, current);
    return current;
  }

  async bumpGeneration(namespace: string): Promise<void> {
    this.#issueGeneration(namespace);
  }

  /** Entries held, expired or not; for tests and diagnostics. */
  get size(): number {
    return this.#entries.size;
  }

  /** Approximate bytes held; for tests and diagnostics. */
  get bytes(): number {
    return this.#bytes;
  }

  #read(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
      return undefined;
    }
    entry.used = true;
    return entry.value;
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  /** Terminates: each pass over an entry clears its mark, so every entry is moved at most once per eviction. */
  #evict(): void {
    const now = this.#now();
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const oldest = this.#entries.entries().next().value;
      if (oldest === undefined) return;
      const [key, entry] = oldest;
      this.#entries.delete(key);
      if (entry.used && entry.expiresAt > now) {
        entry.used = false;
        this.#entries.set(key, entry);
      } else {
        this.#bytes -= entry.bytes;
      }
    }
  }

  #issueGeneration(namespace: string): number {
    this.#lastGeneration += 1;
    this.#generations.delete(namespace);
    this.#generations.set(namespace, this.#lastGeneration);
    if (this.#generations.size > this.#maxNamespaces) {
      const oldest = this.#generations.keys().next().value;
      if (oldest !== undefined) this.#generations.delete(oldest);
    }
    return this.#lastGeneration;
  }
}
