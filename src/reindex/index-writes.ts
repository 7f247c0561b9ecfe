/**
 * Writes of a rebuild with retries: a `retryable` item (429, 5xx, engine unreachable) is sent again after a growing
 * pause, as bulk indexers back off on 429 (ops-scripts.md §1.7 step 3); a `permanent` one is recorded and the
 * rebuild goes on, but a rebuild with permanent failures never swaps (its index would lack those listings).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { IndexItemResult, IndexRemoval, SearchDocument } from '../../ports/search-index.ts';

/** Where a rebuild writes: the shadow index before the swap, the serving one (through the aliases) after it. */
export interface RebuildTarget {
  upsert(documents: readonly SearchDocument[]): Promise<readonly IndexItemResult[]>;
  remove(items: readonly IndexRemoval[]): Promise<readonly IndexItemResult[]>;
}

export interface RetryPolicy {
  /** Sends per item, the first included; default 6. */
  readonly attempts: number;
  /** Pause before the first retry, doubled each time (with up to 25 % jitter); default 500 ms. */
  readonly baseMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 500 };

export interface WriteFailure {
  readonly id: number;
  readonly reason: string;
}

export interface WriteOutcome {
  /** `ok` and `stale` (a newer version is already there: done). */
  readonly written: number;
  readonly failures: readonly WriteFailure[];
}

/** Sends `items` through `send`, retrying the retryable ones; never rejects for an item, only if `send` throws. */
export async function writeWithRetry<T extends { readonly id: number }>(
  items: readonly T[],
  send: (items: readonly T[]) => Promise<readonly IndexItemResult[]>,
  policy: RetryPolicy = DEFAULT_RETRY,
  stopped: () => boolean = () => false,
): Promise<WriteOutcome> {
  let pending = items;
  let written = 0;
  const failures: WriteFailure[] = [];
  for (let attempt = 1; pending.length > 0; attempt++) {
    const results = await send(pending);
    const retry: T[] = [];
    pending.forEach((item, index) => {
      const result = results[index];
      if (result === undefined) retry.push(item);
      else if (result.status === 'ok' || result.status === 'stale') written += 1;
      else if (result.status === 'retryable') retry.push(item);
      else failures.push({ id: item.id, reason: result.reason });
    });
    if (retry.length > 0 && (attempt >= policy.attempts || stopped())) {
      const last = new Map(results.map((result) => [result.id, result]));
      for (const item of retry) {
        const result = last.get(item.id);
        const reason = result !== undefined && 'reason' in result ? result.reason : 'no result from the index';
        failures.push({ id: item.id, reason: `still failing after ${attempt} attempts: ${reason}` });
      }
      break;
    }
    if (retry.length > 0) {
      const pause = policy.baseMs * 2 ** (attempt - 1);
      await sleep(pause + Math.floor(Math.random() * pause * 0.25));
    }
    pending = retry;
  }
  return { written, failures };
}
