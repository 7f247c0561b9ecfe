import type { Cache } from '../../ports/cache.ts';
import type { CoreMetrics } from '../../ports/core-metrics.ts';
import type { SearchIndex, Suggestion } from '../../ports/search-index.ts';
import { clampLimit } from '../domain/pagination.ts';
import { Violations } from '../domain/validation.ts';
import { SEARCH_CACHE_NAMESPACE, SEARCH_CACHE_TTL_MS } from './search-listings.ts';
import { MAX_SUGGEST_LIMIT } from './search-query-rules.ts';

export interface SuggestListingsDeps {
  readonly index: SearchIndex;
  /** Caches suggestions with the search answers (same generation, same TTL); undefined when caching is off. */
  readonly cache: Cache | undefined;
  readonly metrics: CoreMetrics;
  readonly ttlMs?: number;
}

export interface SuggestListingsInput {
  readonly prefix: string;
  /** ≤ 0 or unset → 10; > 20 → 20. */
  readonly limit?: number | null;
}

export const MIN_PREFIX_LENGTH = 2;
export const MAX_PREFIX_LENGTH = 100;

/**
 * Autocomplete: titles of searchable listings with a word starting with each word of the prefix (at least 2
 * characters: `prefix must be at least 2 characters`), best first, each title once.
 */
export class SuggestListings {
  readonly #deps: SuggestListingsDeps;

  constructor(deps: SuggestListingsDeps) {
    this.#deps = deps;
  }

  async execute(input: SuggestListingsInput): Promise<readonly Suggestion[]> {
    const prefix = (input.prefix ?? '').trim();
    const v = new Violations();
    const length = [...prefix].length;
    if (length < MIN_PREFIX_LENGTH) {
      v.add('prefix', 'too_short', `prefix must be at least ${MIN_PREFIX_LENGTH} characters`);
    } else if (length > MAX_PREFIX_LENGTH) {
      v.add('prefix', 'too_long', `prefix must not exceed ${MAX_PREFIX_LENGTH} characters`);
    }
    v.throwIfAny();
    const limit = clampLimit(input.limit, 10, MAX_SUGGEST_LIMIT);
    const { index, cache, metrics } = this.#deps;
    const generation = cache === undefined ? undefined : await cache.generation(SEARCH_CACHE_NAMESPACE);
    if (cache === undefined || generation === undefined) return index.suggest({ prefix, limit });
    const key = `${SEARCH_CACHE_NAMESPACE}:g${generation}:${index.engine}:suggest:${limit}:${prefix.toLowerCase()}`;
    const cached = parse(await cache.get(key));
    if (cached !== undefined) {
      metrics.cacheLookup('suggest', 'hit');
      return cached;
    }
    metrics.cacheLookup('suggest', 'miss');
    const suggestions = await index.suggest({ prefix, limit });
    await cache.set(key, JSON.stringify(suggestions), this.#deps.ttlMs ?? SEARCH_CACHE_TTL_MS);
    return suggestions;
  }
}

function parse(text: string | undefined): Suggestion[] | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? (value as Suggestion[]) : undefined;
  } catch {
    return undefined;
  }
}
