/**
 * One call to the search index with a deadline, reduced to one result per input item whatever happens: a call
 * that rejects, times out or answers with the wrong number of results fails all its items with a retryable reason,
 * so the jobs retry later instead of being lost or blocking the loop.
 */
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { IndexItemResult, IndexRemoval, SearchDocument, SearchIndex } from '../../ports/search-index.ts';
import type { Sized } from './bulk-chunks.ts';
import type { BulkOutcome, IndexWorkerObserver } from './index-worker-observer.ts';

export interface IndexCallDeps {
  readonly searchIndex: SearchIndex;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly observer: IndexWorkerObserver;
}

export interface IndexCall {
  readonly results: readonly IndexItemResult[];
  /** Every item failed retryably (or the call failed): the engine is probably unreachable or overloaded. */
  readonly engineDown: boolean;
}

export function sendToIndex(
  deps: IndexCallDeps,
  settings: { readonly requestTimeoutMs: number },
  kind: 'upsert',
  items: readonly Sized<SearchDocument>[],
): Promise<IndexCall>;
export function sendToIndex(
  deps: IndexCallDeps,
  settings: { readonly requestTimeoutMs: number },
  kind: 'remove',
  items: readonly Sized<IndexRemoval>[],
): Promise<IndexCall>;
export async function sendToIndex(
  deps: IndexCallDeps,
  settings: { readonly requestTimeoutMs: number },
  kind: 'upsert' | 'remove',
  items: readonly Sized<SearchDocument>[] | readonly Sized<IndexRemoval>[],
): Promise<IndexCall> {
  if (items.length === 0) return { results: [], engineDown: false };
  const started = deps.clock.monotonicMs();
  const bytes = items.reduce((sum, item) => sum + item.bytes, 0);
  const ids = items.map((sized) => sized.item.id);
  let results: IndexItemResult[];
  let outcome: BulkOutcome;
  try {
    const call =
      kind === 'upsert'
        ? deps.searchIndex.upsert((items as readonly Sized<SearchDocument>[]).map((sized) => sized.item))
        : deps.searchIndex.remove((items as readonly Sized<IndexRemoval>[]).map((sized) => sized.item));
    const answered = await withDeadline(call, settings.requestTimeoutMs);
    if (answered.length !== ids.length) {
      throw new Error(`the search index answered ${answered.length} results for ${ids.length} items`);
    }
    // Results come in input order; the id of the input is the one that counts.
    results = answered.map((result, index) => ({ ...result, id: ids[index] as number }));
    const failed = results.filter((result) => result.status === 'retryable' || result.status === 'permanent');
    outcome = failed.length === 0 ? 'ok' : failed.length === results.length ? 'failed' : 'partial';
  } catch (error) {
    deps.observer.error('bulk_failed');
    deps.logger.warn({ err: error, kind, items: ids.length }, 'indexing: a search index call failed');
    const reason = `search index ${kind} failed: ${error instanceof Error ? error.message : String(error)}`;
    results = ids.map((id) => ({ id, status: 'retryable', reason }));
    outcome = 'error';
  }
  deps.observer.bulkSent({
    kind,
    items: ids.length,
    bytes,
    outcome,
    seconds: (deps.clock.monotonicMs() - started) / 1000,
  });
  return { results, engineDown: results.every((result) => result.status === 'retryable') };
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
