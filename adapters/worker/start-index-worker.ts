import type { Clock } from '../../ports/clock.ts';
import type { IndexOutbox } from '../../ports/index-outbox.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { Logger } from '../../ports/logger.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import { IndexWorker, type IndexWorkerOptions } from '../../src/indexing/index-worker.ts';
import { type IndexWorkerObserver, NO_WORKER_OBSERVER } from '../../src/indexing/index-worker-observer.ts';
import { systemClock } from '../system/system-clock.ts';
import { workerId } from './worker-id.ts';

export interface StartIndexWorkerDeps {
  /** The plain (non-transactional) outbox: claims, completes and fails run on their own. */
  readonly outbox: IndexOutbox;
  /** The plain listing repository: the worker reads current rows outside any unit of work. */
  readonly listings: ListingRepository;
  /** Its serving index must exist (`ensureIndex()`) before the worker starts. */
  readonly searchIndex: SearchIndex;
  readonly logger: Logger;
  readonly observer?: IndexWorkerObserver;
  readonly clock?: Clock;
  readonly options?: IndexWorkerOptions;
  /** Start the loops now (default). False builds a stopped worker, for a one-shot `worker.drain()`. */
  readonly start?: boolean;
}

export interface RunningIndexWorker {
  /** The use case itself (state, drain, refreshStats). */
  readonly worker: IndexWorker;
  /** Finishes the batches in flight, then resolves; safe to call twice. */
  stop(): Promise<void>;
  /** Stops claiming; resolves once the batches in flight have settled. */
  pause(): Promise<void>;
  resume(): void;
}

/** Builds the indexing worker on the given adapters with `host:pid:loop` worker ids and starts its loops. */
export function startIndexWorker(deps: StartIndexWorkerDeps): RunningIndexWorker {
  const worker = new IndexWorker(
    {
      outbox: deps.outbox,
      listings: deps.listings,
      searchIndex: deps.searchIndex,
      clock: deps.clock ?? systemClock,
      logger: deps.logger,
      observer: deps.observer ?? NO_WORKER_OBSERVER,
      random: Math.random,
      workerId: (loop) => workerId(loop),
    },
    deps.options,
  );
  if (deps.start !== false) worker.start();
  return {
    worker,
    stop: () => worker.stop(),
    pause: () => worker.pause(),
    resume: () => worker.resume(),
  };
}
