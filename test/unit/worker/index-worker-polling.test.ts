import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClaimedJob, ClaimRequest, IndexOutbox } from '../../../ports/index-outbox.ts';
import type { ListingRepository } from '../../../ports/listing-repository.ts';
import type { SearchDocument, SearchIndex } from '../../../ports/search-index.ts';
import { IndexWorker } from '../../../src/indexing/index-worker.ts';
import { sampleListing } from '../use-cases/sample-listing.ts';
import { RecordingObserver, recordingLogger } from './recording-observer.ts';

/**
 * An outbox of `due` listing ids (claimed in order, at most `limit` at a time) that records every claim's time and
 * loop; listings and index accept everything at once.
 */
function idleWorker(options: { concurrency: number; pollIntervalMs: number; claimMs?: number; readFirst?: boolean }) {
  const due: number[] = [];
  const claims: { at: number; workerId: string; jobs: number }[] = [];
  const indexed: number[] = [];
  const outbox = {
    async claim(request: ClaimRequest): Promise<ClaimedJob[]> {
      // readFirst: the claim sees the queue as it was when it started (work committed meanwhile is not in its answer).
      const early = options.readFirst ? due.splice(0, request.limit) : [];
      if (options.claimMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.claimMs));
      const ids = options.readFirst ? early : due.splice(0, request.limit);
      claims.push({ at: Date.now(), workerId: request.workerId, jobs: ids.length });
      return ids.map((listingId) => ({
        id: listingId,
        listingId,
        version: 1,
        operation: 'index' as const,
        attempt: 1,
        maxAttempts: 3,
        enqueuedAt: new Date(),
        workerId: request.workerId,
        lockedAt: new Date(),
      }));
    },
    completeMany: async (jobs: readonly ClaimedJob[]) => jobs.map(() => true),
    failMany: async () => [],
    stats: async () => ({ pending: due.length, processing: 0, failed: 0, dead: 0, oldestDueAgeMs: null }),
  } as unknown as IndexOutbox;
  const listings = {
    findManyByIds: async (ids: readonly number[]) => ids.map((id) => sampleListing({ id })),
  } as unknown as ListingRepository;
  const searchIndex = {
    upsert: async (documents: readonly SearchDocument[]) => {
      indexed.push(...documents.map((document) => document.id));
      return documents.map((document) => ({ id: document.id, status: 'ok' as const }));
    },
    remove: async () => [],
    count: async () => 0,
  } as unknown as SearchIndex;
  const worker = new IndexWorker(
    {
      outbox,
      listings,
      searchIndex,
      clock: { now: () => new Date(), monotonicMs: () => Date.now() },
      logger: recordingLogger(),
      observer: new RecordingObserver(),
      random: () => 0.5,
      workerId: (loop) => `w:${loop}`,
    },
    {
      concurrency: options.concurrency,
      pollIntervalMs: options.pollIntervalMs,
      batchSize: 10,
      statsIntervalMs: 60_000,
    },
  );
  return { worker, due, claims, indexed };
}

describe('IndexWorker polling while idle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('claims as often as every loop polling every interval, from one loop at a time', async () => {
    const { worker, claims } = idleWorker({ concurrency: 5, pollIntervalMs: 1_000 });
    worker.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(claims).toHaveLength(5); // every loop claims once at start
    claims.length = 0;
    await vi.advanceTimersByTimeAsync(2_000);
    // 5 loops x 1 claim per 1 000 ms before; now one watcher every 200 ms: the same 10 claims in 2 s.
    expect(claims).toHaveLength(10);
    expect(new Set(claims.map((claim) => claim.workerId)).size).toBe(1);
    await worker.stop();
  });

  it('notices new work within interval / concurrency and wakes the waiting loops for the rest', async () => {
    const { worker, due, claims, indexed } = idleWorker({ concurrency: 5, pollIntervalMs: 1_000 });
    worker.start();
    await vi.advanceTimersByTimeAsync(500);
    claims.length = 0;
    // A backlog of four batches (batch size 10) arrives.
    due.push(...Array.from({ length: 40 }, (_, i) => i + 1));
    await vi.advanceTimersByTimeAsync(200);
    expect(indexed.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // The watcher found the first batch; the loops it woke claimed the rest in the same instant.
    const withWork = claims.filter((claim) => claim.jobs > 0);
    expect(withWork).toHaveLength(4);
    expect(new Set(withWork.map((claim) => claim.workerId)).size).toBeGreaterThan(1);
    expect(new Set(withWork.map((claim) => claim.at)).size).toBe(1);
    await worker.stop();
  });

  it('stop ends loops whose claims ahead come back empty after stop was asked (they must not wait for work)', async () => {
    const { worker, due, claims } = idleWorker({ concurrency: 2, pollIntervalMs: 1_000, claimMs: 20 });
    worker.start();
    await vi.advanceTimersByTimeAsync(100);
    due.push(...Array.from({ length: 30 }, (_, i) => i + 1));
    // The watcher claims every 500 ms: at 520 ms it finds the first batch and wakes the other loop; the two claims
    // ending at 560 ms take the other two batches, and both loops then claim ahead (560 -> 580 ms).
    await vi.advanceTimersByTimeAsync(470);
    expect(claims.filter((claim) => claim.jobs > 0)).toHaveLength(3);
    const stopping = worker.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(worker.state).toBe('stopped');
    await stopping;
  });

  it('stop ends loops that wait for the watcher', async () => {
    const { worker, claims } = idleWorker({ concurrency: 3, pollIntervalMs: 1_000 });
    worker.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await worker.stop();
    expect(worker.state).toBe('stopped');
    const before = claims.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(claims).toHaveLength(before);
  });

  it('claims at once when nudged while idle, even when the nudge lands during its claim', async () => {
    const { worker, due, claims, indexed } = idleWorker({
      concurrency: 2,
      pollIntervalMs: 60_000,
      claimMs: 10,
      readFirst: true,
    });
    worker.start();
    await vi.advanceTimersByTimeAsync(100); // both loops claimed nothing; the watcher sleeps 30 s
    claims.length = 0;
    // Commits close together share one claim, made once the nudges have had 20 ms to gather.
    due.push(1);
    worker.nudge();
    await vi.advanceTimersByTimeAsync(5);
    worker.nudge();
    await vi.advanceTimersByTimeAsync(10);
    expect(claims).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(35);
    expect(indexed).toEqual([1]);
    expect(claims.filter((claim) => claim.jobs > 0)).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1_000); // idle again, the watcher asleep
    worker.nudge(); // a claim starts and reads an empty queue
    await vi.advanceTimersByTimeAsync(5);
    due.push(2); // committed while that claim is in flight: its answer will not have it
    worker.nudge();
    await vi.advanceTimersByTimeAsync(50);
    expect(indexed).toEqual([1, 2]);
    expect(claims.filter((claim) => claim.jobs > 0)).toHaveLength(2);
    await worker.stop();
  });

  it('ignores nudges when stopped or not started', async () => {
    const { worker, claims } = idleWorker({ concurrency: 1, pollIntervalMs: 60_000 });
    worker.nudge();
    expect(claims).toHaveLength(0);
    worker.start();
    await vi.advanceTimersByTimeAsync(10);
    await worker.stop();
    const before = claims.length;
    worker.nudge();
    await vi.advanceTimersByTimeAsync(100);
    expect(claims).toHaveLength(before);
  });
});
