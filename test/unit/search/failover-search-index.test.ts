import { describe, expect, it } from 'vitest';
import type { IndexItemResult, SearchIndex, SearchQuery, SearchResult } from '../../../ports/search-index.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { FailoverSearchIndex } from '../../../src/search/failover-search-index.ts';
import { mirroredSearchIndex } from '../../../src/search/mirrored-search-index.ts';
import { recordingLogger } from '../worker/recording-observer.ts';

const QUERY: SearchQuery = { text: 'stan', filters: {}, sort: 'relevance', limit: 10 };
const OPENSEARCH_ANSWER: SearchResult = { hits: [], total: 0, facets: null, nextCursor: null, servedBy: 'opensearch' };
const POSTGRES_ANSWER: SearchResult = { ...OPENSEARCH_ANSWER, servedBy: 'postgres' };

/** An index whose reads and writes answer by the given functions; every other method is unused here. */
function fakeIndex(engine: SearchIndex['engine'], parts: Partial<SearchIndex>): SearchIndex {
  return { engine, ...parts } as SearchIndex;
}

describe('FailoverSearchIndex', () => {
  it('fails over only on DEPENDENCY_UNAVAILABLE, probes in the background, and switches back', async () => {
    let now = 0;
    let primaryUp = false;
    const unavailable = () => new AppError('DEPENDENCY_UNAVAILABLE', 'OpenSearch is unavailable');
    const primary = fakeIndex('opensearch', {
      search: async (query) => {
        if (query.text === 'bad') throw new AppError('VALIDATION_FAILED', 'bad cursor');
        if (!primaryUp) throw unavailable();
        return OPENSEARCH_ANSWER;
      },
      count: async () => {
        if (!primaryUp) throw unavailable();
        return 1;
      },
    });
    const fallback = fakeIndex('postgres', { search: async () => POSTGRES_ANSWER });
    const index = new FailoverSearchIndex({
      primary,
      fallback,
      clock: { now: () => new Date(now), monotonicMs: () => now },
      logger: recordingLogger(),
      policy: { initialMs: 100, maxMs: 1_000 },
    });

    await expect(index.search({ ...QUERY, text: 'bad' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(index.degraded).toBe(false);
    expect(await index.search(QUERY)).toEqual(POSTGRES_ANSWER);
    expect(index.degraded).toBe(true);

    now = 150; // a probe is due; it fails and the next one waits 200 ms
    expect((await index.search(QUERY)).servedBy).toBe('postgres');
    await new Promise((resolve) => setImmediate(resolve));
    primaryUp = true;
    now = 300;
    expect((await index.search(QUERY)).servedBy).toBe('postgres'); // not due yet: no probe
    await new Promise((resolve) => setImmediate(resolve));
    expect(index.degraded).toBe(true);
    now = 400;
    expect((await index.search(QUERY)).servedBy).toBe('postgres'); // this read starts the probe, never waits for it
    await new Promise((resolve) => setImmediate(resolve));
    expect(index.degraded).toBe(false);
    expect(await index.search(QUERY)).toEqual(OPENSEARCH_ANSWER);
  });
});

describe('mirroredSearchIndex', () => {
  it('writes both and reports, per item, the worse of the two results', async () => {
    const answer =
      (results: IndexItemResult['status'][]) =>
      async (items: readonly { id: number }[]): Promise<readonly IndexItemResult[]> =>
        items.map((item, i) => {
          const status = results[i] ?? 'ok';
          return status === 'ok' || status === 'stale' ? { id: item.id, status } : { id: item.id, status, reason: 'x' };
        });
    const primary = fakeIndex('opensearch', { upsert: answer(['ok', 'stale', 'ok', 'permanent', 'stale']) });
    const mirror = fakeIndex('postgres', { upsert: answer(['ok', 'ok', 'retryable', 'retryable', 'stale']) });
    const documents = [1, 2, 3, 4, 5].map((id) => ({ id }) as Parameters<SearchIndex['upsert']>[0][number]);

    expect(await mirroredSearchIndex(primary, mirror).upsert(documents)).toEqual([
      { id: 1, status: 'ok' },
      { id: 2, status: 'ok' },
      { id: 3, status: 'retryable', reason: 'postgres mirror: x' },
      { id: 4, status: 'permanent', reason: 'x' },
      { id: 5, status: 'stale' },
    ]);
  });
});
