import { describe, expect, it } from 'vitest';
import type { ClaimedJob, FailOutcome, IndexOutbox, JobFailureOf } from '../../../ports/index-outbox.ts';
import type { ListingRepository } from '../../../ports/listing-repository.ts';
import type { IndexItemResult, IndexRemoval, SearchDocument, SearchIndex } from '../../../ports/search-index.ts';
import type { ListingDetails } from '../../../src/domain/listing.ts';
import { EngineBreaker } from '../../../src/indexing/engine-breaker.ts';
import { type IndexBatchDeps, processBatch } from '../../../src/indexing/index-batch.ts';
import { NO_WORKER_OBSERVER } from '../../../src/indexing/index-worker-observer.ts';
import { sampleListing } from '../use-cases/sample-listing.ts';
import { RecordingObserver, recordingLogger } from './recording-observer.ts';

const NOW = new Date('2026-01-01T00:00:10.000Z');
let monotonic = 0;
const clock = { now: () => NOW, monotonicMs: () => monotonic };

function job(listingId: number, version: number, operation: ClaimedJob['operation'] = 'update'): ClaimedJob {
  return {
    id: listingId * 10,
    listingId,
    version,
    operation,
    attempt: 1,
    maxAttempts: 3,
    enqueuedAt: new Date('2026-01-01T00:00:08.000Z'),
    workerId: 'w:1:0',
    lockedAt: NOW,
  };
}

/** An outbox that records complete/fail, rows served from a map, and an index answering by rule. */
function harness(options: {
  rows: ListingDetails[];
  answer?: (kind: 'upsert' | 'remove', ids: number[]) => Promise<readonly IndexItemResult[]>;
  loadFails?: boolean;
}) {
  const settled: { id: number; done?: true; error?: string; retryAt?: Date; permanent?: true }[] = [];
  const outboxCalls: string[] = [];
  const sent: { kind: 'upsert' | 'remove'; items: (SearchDocument | IndexRemoval)[] }[] = [];
  const rows = new Map(options.rows.map((row) => [row.id, row]));
  const outbox = {
    completeMany: async (jobs: readonly ClaimedJob[]) => {
      outboxCalls.push(`completeMany(${jobs.length})`);
      for (const j of jobs) settled.push({ id: j.listingId, done: true });
      return jobs.map(() => true);
    },
    failMany: async (failures: readonly JobFailureOf[]): Promise<FailOutcome[]> => {
      outboxCalls.push(`failMany(${failures.length})`);
      return failures.map(({ job: j, error, retryAt, permanent }) => {
        settled.push({ id: j.listingId, error, retryAt, ...(permanent ? { permanent } : {}) });
        return permanent || j.attempt >= j.maxAttempts ? 'dead' : 'retry';
      });
    },
  } as unknown as IndexOutbox;
  const listings = {
    findManyByIds: async (ids: readonly number[]) => {
      if (options.loadFails) throw new Error('connection terminated');
      return [...rows.values()].filter((row) => ids.includes(row.id)).sort((a, b) => a.id - b.id);
    },
  } as unknown as ListingRepository;
  const ok = async (_kind: string, ids: number[]) => ids.map((id) => ({ id, status: 'ok' as const }));
  const answer = options.answer ?? ok;
  const searchIndex = {
    upsert: async (documents: readonly SearchDocument[]) => {
      sent.push({ kind: 'upsert', items: [...documents] });
      return answer(
        'upsert',
        documents.map((d) => d.id),
      );
    },
    remove: async (items: readonly IndexRemoval[]) => {
      sent.push({ kind: 'remove', items: [...items] });
      return answer(
        'remove',
        items.map((i) => i.id),
      );
    },
  } as unknown as SearchIndex;
  const observer = new RecordingObserver();
  const deps: IndexBatchDeps = {
    outbox,
    listings,
    searchIndex,
    clock,
    logger: recordingLogger(),
    observer,
    random: () => 0.5,
  };
  const settings = {
    bulk: { maxBytes: 5 * 1024 * 1024, maxItems: 500 },
    backoff: { baseMs: 2_000, maxMs: 60_000 },
    requestTimeoutMs: 1_000,
  };
  return { deps, settings, settled, sent, observer, outboxCalls };
}

describe('processBatch', () => {
  it('upserts searchable rows with their own version and removes missing, deleted and hidden ones', async () => {
    const h = harness({
      rows: [sampleListing({ id: 1, version: 4 }), sampleListing({ id: 2, version: 6, status: 'inactive' })],
    });
    const report = await processBatch(h.deps, h.settings, [job(1, 3), job(2, 5), job(3, 9, 'delete')]);

    expect(report).toMatchObject({ claimed: 3, completed: 3, retried: 0, engineDown: false });
    expect(h.sent).toEqual([
      { kind: 'upsert', items: [expect.objectContaining({ id: 1, version: 4 })] },
      {
        kind: 'remove',
        items: [
          { id: 2, version: 6 },
          { id: 3, version: 9 },
        ],
      },
    ]);
    expect(h.observer.jobs).toEqual([
      { operation: 'update', outcome: 'completed', lagSeconds: 2 },
      { operation: 'update', outcome: 'completed', lagSeconds: 2 },
      { operation: 'delete', outcome: 'completed', lagSeconds: 2 },
    ]);
  });

  it('settles each item by its own result: stale is done, retryable retries with backoff, permanent is dead', async () => {
    const answers: Record<number, IndexItemResult['status']> = { 1: 'ok', 2: 'stale', 3: 'retryable', 4: 'permanent' };
    const h = harness({
      rows: [1, 2, 3, 4].map((id) => sampleListing({ id, version: 1 })),
      answer: async (_kind, ids) =>
        ids.map((id) => {
          const status = answers[id] as IndexItemResult['status'];
          return status === 'ok' || status === 'stale' ? { id, status } : { id, status, reason: `reason ${id}` };
        }),
    });
    const report = await processBatch(h.deps, h.settings, [job(1, 1), job(2, 1), job(3, 1), job(4, 1)]);

    expect(report).toMatchObject({ completed: 2, retried: 1, dead: 1, engineDown: false });
    expect(h.settled).toEqual([
      { id: 1, done: true },
      { id: 2, done: true },
      // attempt 1, random 0.5: 1 s + 0.5 × 1 s
      { id: 3, error: 'retryable: reason 3', retryAt: new Date(NOW.getTime() + 1_500) },
      { id: 4, error: 'permanent: reason 4', retryAt: new Date(NOW.getTime() + 1_500), permanent: true },
    ]);
    expect(h.outboxCalls).toEqual(['completeMany(2)', 'failMany(2)']);
    expect(h.observer.jobs.filter((j) => j.outcome === 'dead')).toEqual([
      { operation: 'update', outcome: 'dead', failure: 'permanent' },
    ]);
    expect(h.observer.bulks).toEqual([expect.objectContaining({ kind: 'upsert', items: 4, outcome: 'partial' })]);
  });

  it('fails every item retryably when the call rejects or miscounts, and says the engine looks down', async () => {
    const rejecting = harness({
      rows: [sampleListing({ id: 1 })],
      answer: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    });
    expect(await processBatch(rejecting.deps, rejecting.settings, [job(1, 1), job(2, 1)])).toMatchObject({
      retried: 2,
      engineDown: true,
    });
    expect(rejecting.settled.map((s) => s.error)).toEqual([
      'retryable: search index upsert failed: connect ECONNREFUSED',
      'retryable: search index remove failed: connect ECONNREFUSED',
    ]);
    expect(rejecting.observer.errors).toEqual(['bulk_failed', 'bulk_failed', 'job_failed', 'job_failed']);

    const miscounting = harness({ rows: [sampleListing({ id: 1 }), sampleListing({ id: 2 })], answer: async () => [] });
    await processBatch(miscounting.deps, miscounting.settings, [job(1, 1), job(2, 1)]);
    expect(miscounting.settled[0]?.error).toMatch(/answered 0 results for 2 items/);
  });

  it('retries the whole batch when its rows cannot be read, without blaming the engine', async () => {
    const h = harness({ rows: [], loadFails: true });
    const report = await processBatch(h.deps, h.settings, [job(1, 1)]);
    expect(report).toMatchObject({ retried: 1, engineDown: false });
    expect(h.sent).toEqual([]);
    expect(h.settled[0]?.error).toBe('retryable: reading the listing failed: connection terminated');
  });

  it('records a dead letter on the last attempt', async () => {
    const h = harness({
      rows: [sampleListing({ id: 1 })],
      answer: async (_k, ids) => ids.map((id) => ({ id, status: 'permanent', reason: 'mapper_parsing_exception' })),
    });
    const report = await processBatch(h.deps, h.settings, [{ ...job(1, 1), attempt: 3 }]);
    expect(report).toMatchObject({ dead: 1 });
    expect(h.observer.jobs).toEqual([{ operation: 'update', outcome: 'dead', failure: 'permanent' }]);
  });
});

describe('EngineBreaker', () => {
  it('opens on trip, probes after its delay (doubling on failure) and closes when the probe answers', async () => {
    let probes = 0;
    let down = true;
    const observer = new RecordingObserver();
    const breaker = new EngineBreaker({
      clock,
      probe: async () => {
        probes += 1;
        if (down) throw new Error('down');
      },
      policy: { initialMs: 100, maxMs: 300 },
      observer,
      logger: recordingLogger(),
    });
    monotonic = 0;
    expect(await breaker.ready()).toBe(true);
    breaker.trip();
    expect(await breaker.ready()).toBe(false);
    expect(breaker.msUntilProbe()).toBe(100);
    monotonic = 100;
    expect(await breaker.ready()).toBe(false);
    expect(probes).toBe(1);
    expect(breaker.msUntilProbe()).toBe(200);
    down = false;
    monotonic = 300;
    expect(await Promise.all([breaker.ready(), breaker.ready()])).toEqual([true, true]);
    expect(probes).toBe(2);
    expect(observer.availability).toEqual([false, true]);
    expect(observer.errors).toEqual(['probe_failed']);
    expect(NO_WORKER_OBSERVER.error('probe_failed')).toBeUndefined();
  });
});
