/**
 * The "cache stale" drift of ops-scripts.md §1.8: a cached listing (`listing:{id}`) whose version is not the row's,
 * or a cached "not found" for a live row. Fences already make a stale entry unreadable after each write, so drift
 * here means a write that skipped its invalidation (a bug, or a hand edit of the database). Read-only: peeks never
 * load or store. Repair evicts.
 */
import type { ListingDetails } from '../domain/listing.ts';
import type { ListingCache } from '../listings/listing-cache.ts';

export interface CacheCheckDeps {
  readonly cache: ListingCache;
  /** Cache operations that failed so far (the cache port swallows failures; a failed peek looks like a miss). */
  failures(): number;
}

export interface CacheCheckResult {
  /** Listings whose cache entry was looked at. */
  readonly checked: number;
  /** Entries found cached (valid under their fence). */
  readonly cached: number;
  readonly stale: number;
  /** The first stale ids (up to the kept number). */
  readonly ids: readonly number[];
  /** Peeks that failed: the check is incomplete when > 0. */
  readonly failures: number;
}

/** Peeks in flight. */
const PEEKS = 64;

export class CachedListingsCheck {
  readonly #deps: CacheCheckDeps;
  readonly #kept: number;
  readonly #failuresBefore: number;
  readonly #ids: number[] = [];
  #checked = 0;
  #cached = 0;
  #stale = 0;

  constructor(deps: CacheCheckDeps, keptIds: number) {
    this.#deps = deps;
    this.#kept = keptIds;
    this.#failuresBefore = deps.failures();
  }

  async check(rows: readonly ListingDetails[]): Promise<void> {
    for (let start = 0; start < rows.length; start += PEEKS) {
      const group = rows.slice(start, start + PEEKS);
      const found = await Promise.all(group.map((row) => this.#deps.cache.peek(row.id)));
      group.forEach((row, index) => {
        this.#checked += 1;
        const entry = found[index];
        if (entry === undefined) return;
        this.#cached += 1;
        if (entry.value !== null && entry.value.version === row.version) return;
        this.#stale += 1;
        if (this.#ids.length < this.#kept) this.#ids.push(row.id);
      });
    }
  }

  /** The stale entries of these ids that are still stale now (a write during the pass invalidates its own). */
  async recheck(rowsNow: ReadonlyMap<number, ListingDetails>): Promise<void> {
    const still: number[] = [];
    for (const id of this.#ids) {
      const entry = await this.#deps.cache.peek(id);
      const row = rowsNow.get(id);
      if (entry === undefined || row === undefined) continue;
      if (entry.value === null || entry.value.version !== row.version) still.push(id);
    }
    this.#stale -= this.#ids.length - still.length;
    this.#ids.splice(0, this.#ids.length, ...still);
  }

  staleIds(): readonly number[] {
    return this.#ids;
  }

  result(): CacheCheckResult {
    return {
      checked: this.#checked,
      cached: this.#cached,
      stale: this.#stale,
      ids: [...this.#ids],
      failures: this.#deps.failures() - this.#failuresBefore,
    };
  }
}
