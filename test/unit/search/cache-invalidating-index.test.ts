import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import type { IndexItemResult, SearchIndex } from '../../../ports/search-index.ts';
import { SEARCH_CACHE_NAMESPACE } from '../../../src/listings/listing-cache.ts';
import { cacheInvalidatingIndex } from '../../../src/search/cache-invalidating-index.ts';

// An engine that acknowledges writes before searches see them (OpenSearch refreshes every second): only the
// write methods and the delay matter here.
function engine(visibilityDelayMs: number | undefined, status: IndexItemResult['status'] = 'ok'): SearchIndex {
  const answer = async () => [{ id: 1, status } as IndexItemResult];
  return { engine: 'opensearch', visibilityDelayMs, upsert: answer, remove: answer, close: async () => {} } as never;
}

describe('cacheInvalidatingIndex', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('moves the search generation again once a refreshing engine shows the write', async () => {
    vi.useFakeTimers();
    const cache = new MemoryCache();
    const index = cacheInvalidatingIndex(engine(1000), cache);
    const before = await cache.generation(SEARCH_CACHE_NAMESPACE);

    await index.upsert([]);
    const afterWrite = await cache.generation(SEARCH_CACHE_NAMESPACE);
    expect(afterWrite).toBeGreaterThan(before as number);

    // An answer cached now (before the refresh) sits under `afterWrite`; the delayed move orphans it.
    await vi.advanceTimersByTimeAsync(1000);
    expect(await cache.generation(SEARCH_CACHE_NAMESPACE)).toBe(afterWrite);
    await vi.advanceTimersByTimeAsync(300);
    expect(await cache.generation(SEARCH_CACHE_NAMESPACE)).toBeGreaterThan(afterWrite as number);
  });

  it('arms one delayed move for writes in a row, due after the last of them', async () => {
    vi.useFakeTimers();
    const cache = new MemoryCache();
    const bump = vi.spyOn(cache, 'bumpGeneration');
    const index = cacheInvalidatingIndex(engine(1000), cache);

    await index.upsert([]);
    await vi.advanceTimersByTimeAsync(800);
    await index.remove([]);
    expect(bump).toHaveBeenCalledTimes(2);

    await vi.advanceTimersByTimeAsync(800); // the first write's refresh is past, the second's is not
    expect(bump).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(bump).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(5000);
    expect(bump).toHaveBeenCalledTimes(3);
  });

  it('moves it once for an engine whose writes are visible at once, and not at all when nothing changed', async () => {
    vi.useFakeTimers();
    const cache = new MemoryCache();
    const bump = vi.spyOn(cache, 'bumpGeneration');
    await cacheInvalidatingIndex(engine(undefined), cache).upsert([]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(bump).toHaveBeenCalledTimes(1);

    await cacheInvalidatingIndex(engine(1000, 'stale'), cache).upsert([]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(bump).toHaveBeenCalledTimes(1);
  });

  it('drops the pending move on close', async () => {
    vi.useFakeTimers();
    const cache = new MemoryCache();
    const bump = vi.spyOn(cache, 'bumpGeneration');
    const index = cacheInvalidatingIndex(engine(1000), cache);
    await index.upsert([]);
    await index.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(bump).toHaveBeenCalledTimes(1);
  });
});
