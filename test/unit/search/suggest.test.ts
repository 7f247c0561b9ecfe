import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import { NO_METRICS } from '../../../ports/core-metrics.ts';
import type { SearchIndex, SuggestRequest } from '../../../ports/search-index.ts';
import { SuggestListings } from '../../../src/search/suggest.ts';

function world() {
  const requests: SuggestRequest[] = [];
  const index = {
    engine: 'opensearch',
    async suggest(request: SuggestRequest) {
      requests.push(request);
      return [{ id: 1, title: 'Bicikl' }];
    },
  } as unknown as SearchIndex;
  return { requests, suggest: new SuggestListings({ index, cache: new MemoryCache(), metrics: NO_METRICS }) };
}

describe('SuggestListings', () => {
  it('needs two characters', async () => {
    await expect(world().suggest.execute({ prefix: ' b ' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'prefix must be at least 2 characters',
    });
  });

  it('clamps the limit (default 10, at most 20), trims the prefix and caches the answer', async () => {
    const { suggest, requests } = world();
    expect(await suggest.execute({ prefix: ' bi ' })).toEqual([{ id: 1, title: 'Bicikl' }]);
    await suggest.execute({ prefix: 'bi', limit: 0 });
    await suggest.execute({ prefix: 'bi', limit: 50 });
    expect(requests).toEqual([
      { prefix: 'bi', limit: 10 },
      { prefix: 'bi', limit: 20 },
    ]);
  });
});
