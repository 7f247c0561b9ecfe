import { describe, expect, it } from 'vitest';
import type { IndexItemResult } from '../../../ports/search-index.ts';
import { IdSample } from '../../../src/reindex/id-sample.ts';
import { writeWithRetry } from '../../../src/reindex/index-writes.ts';

const items = (...ids: number[]) => ids.map((id) => ({ id }));

describe('writeWithRetry', () => {
  it('sends only the retryable items again, counts stale as written and keeps permanent failures', async () => {
    const sent: number[][] = [];
    const outcome = await writeWithRetry(
      items(1, 2, 3, 4),
      async (batch) => {
        sent.push(batch.map((item) => item.id));
        return batch.map((item): IndexItemResult => {
          if (item.id === 2 && sent.length === 1) return { id: 2, status: 'retryable', reason: '429' };
          if (item.id === 3) return { id: 3, status: 'permanent', reason: 'mapping' };
          if (item.id === 4) return { id: 4, status: 'stale' };
          return { id: item.id, status: 'ok' };
        });
      },
      { attempts: 3, baseMs: 1 },
    );
    expect(sent).toEqual([[1, 2, 3, 4], [2]]);
    expect(outcome).toEqual({ written: 3, failures: [{ id: 3, reason: 'mapping' }] });
  });

  it('gives up after the attempts, naming the last reason', async () => {
    let calls = 0;
    const outcome = await writeWithRetry(
      items(7),
      async () => {
        calls += 1;
        return [{ id: 7, status: 'retryable', reason: 'HTTP 503' }];
      },
      { attempts: 3, baseMs: 1 },
    );
    expect(calls).toBe(3);
    expect(outcome).toEqual({ written: 0, failures: [{ id: 7, reason: 'still failing after 3 attempts: HTTP 503' }] });
  });
});

describe('IdSample', () => {
  it('keeps everything up to its size, then a fixed-size sample of the stream', () => {
    const small = new IdSample(5);
    for (const id of [3, 1, 2]) small.offer(id);
    expect(small.ids()).toEqual([1, 2, 3]);
    // Algorithm R: the n-th id replaces slot floor(random × n) when that slot exists.
    const never = new IdSample(2, () => 0.99);
    const always = new IdSample(2, () => 0);
    for (let id = 1; id <= 100; id++) {
      never.offer(id);
      always.offer(id);
    }
    expect(never.ids()).toEqual([1, 2]);
    expect(always.ids()).toEqual([2, 100]);
  });
});
