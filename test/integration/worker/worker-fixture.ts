import { randomBytes } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { OpenSearchSearchIndex } from '../../../adapters/opensearch/opensearch-search-index.ts';
import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { createPlainRepositories, type SqlRepositories } from '../../../adapters/sql/sql-repositories.ts';
import { systemClock } from '../../../adapters/system/system-clock.ts';
import { workerId } from '../../../adapters/worker/worker-id.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { IndexItemResult, SearchIndex } from '../../../ports/search-index.ts';
import { IndexWorker, type IndexWorkerOptions } from '../../../src/indexing/index-worker.ts';
import type { IndexWorkerObserver } from '../../../src/indexing/index-worker-observer.ts';
import { opensearchUrl } from '../../support/servers.ts';
import { RecordingObserver, recordingLogger } from '../../unit/worker/recording-observer.ts';
import { openWorld, type World } from '../use-cases/listings/fixture.ts';

export { RecordingObserver, recordingLogger };

export interface Engine {
  readonly name: string;
  /** The real adapter, how to empty what it serves between tests, and how to drop what it created. */
  open(world: World): { index: SearchIndex; clear(): Promise<void>; drop(): Promise<void> };
}

/** An OpenSearch index under an alias of its own (`<prefix>_<random>`), at `url` (a proxy, in the outage test). */
export function openSearchEngine(prefix: string, url = opensearchUrl()) {
  const alias = `${prefix}_${randomBytes(4).toString('hex')}`;
  const index = new OpenSearchSearchIndex({ addresses: [url], alias, replicas: 0, requestTimeoutMs: 5_000 });
  const dropIndices = async () => {
    const admin = new Client({ node: opensearchUrl() });
    try {
      await admin.indices.delete({ index: `${alias}_v*`, ignore_unavailable: true });
    } finally {
      await admin.close();
    }
  };
  return {
    index,
    alias,
    async clear() {
      await dropIndices();
      await index.ensureIndex();
    },
    drop: dropIndices,
  };
}

/** The search engines the worker runs against, each the real adapter. */
export const ENGINES: readonly Engine[] = [
  {
    name: 'pgsearch',
    open: (world) => ({
      index: new PgSearchIndex({ knex: world.knex }),
      clear: async () => {
        await world.knex.raw('TRUNCATE listing_search');
      },
      drop: async () => {},
    }),
  },
  { name: 'opensearch', open: () => openSearchEngine('worker_test') },
];

/**
 * Faults around a REAL search index: `failCalls(n)` makes the next n write calls answer every item `retryable` (as
 * an engine answering 503 would) or reject (as an unreachable one would); `holdWrites()` parks write calls until
 * released, to act between a worker's read and its write. Reads and everything else go straight through.
 */
export class FaultySearchIndex {
  readonly index: SearchIndex;
  readonly calls: { kind: 'upsert' | 'remove'; ids: number[] }[] = [];
  #failing = 0;
  #mode: 'retryable' | 'reject' = 'retryable';
  #probeFailing = 0;
  #hold: { reached: () => void; released: Promise<void> } | undefined;

  constructor(real: SearchIndex) {
    const write =
      (kind: 'upsert' | 'remove') =>
      async (items: readonly { id: number }[]): Promise<readonly IndexItemResult[]> => {
        this.calls.push({ kind, ids: items.map((item) => item.id) });
        const hold = this.#hold;
        if (hold !== undefined) {
          this.#hold = undefined;
          hold.reached();
          await hold.released;
        }
        if (this.#failing > 0) {
          this.#failing -= 1;
          if (this.#mode === 'reject') throw new Error('connect ECONNREFUSED 127.0.0.1:9 (injected)');
          return items.map((item) => ({ id: item.id, status: 'retryable', reason: 'HTTP 503 (injected)' }));
        }
        return kind === 'upsert'
          ? real.upsert(items as Parameters<SearchIndex['upsert']>[0])
          : real.remove(items as Parameters<SearchIndex['remove']>[0]);
      };
    this.index = new Proxy(real, {
      get: (target, property, receiver) => {
        if (property === 'upsert') return write('upsert');
        if (property === 'remove') return write('remove');
        if (property === 'count') {
          return async (name?: string) => {
            if (this.#probeFailing > 0) {
              this.#probeFailing -= 1;
              throw new Error('connect ECONNREFUSED (injected)');
            }
            return target.count(name);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** The next `calls` write calls fail; `probes` count() calls fail too (the breaker's probe). */
  failCalls(calls: number, mode: 'retryable' | 'reject' = 'retryable', probes = 0): void {
    this.#failing = calls;
    this.#mode = mode;
    this.#probeFailing = probes;
  }

  /** The next write call waits at `reached` until `release()`. */
  holdNextWrite(): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#hold = { reached, released };
    return { reached: reachedPromise, release };
  }
}

export interface WorkerWorld {
  readonly world: World;
  readonly repos: SqlRepositories;
  readonly index: SearchIndex;
  /** Builds a worker (not started) on these adapters; `searchIndex` replaces the real index (a faulty one). */
  worker(
    options?: IndexWorkerOptions,
    overrides?: { searchIndex?: SearchIndex; observer?: IndexWorkerObserver; logger?: Logger },
  ): IndexWorker;
  /** Listing id → indexed version, as searches see them (refreshed first). */
  indexed(): Promise<Map<number, number>>;
  /** Queue rows by status. */
  queue(): Promise<Record<string, number>>;
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

export async function openWorkerWorld(engine: Engine): Promise<WorkerWorld> {
  const world = await openWorld({ kind: 'postgres' });
  const repos = createPlainRepositories(world.knex);
  const { index, clear, drop } = engine.open(world);
  await index.ensureIndex();
  return {
    world,
    repos,
    index,
    worker(options = {}, overrides = {}) {
      return new IndexWorker(
        {
          outbox: repos.outbox,
          listings: repos.listings,
          searchIndex: overrides.searchIndex ?? index,
          clock: systemClock,
          logger: overrides.logger ?? recordingLogger(),
          observer: overrides.observer ?? new RecordingObserver(),
          random: Math.random,
          workerId: (loop) => workerId(loop, 'test-host'),
        },
        { pollIntervalMs: 50, ...options },
      );
    },
    async indexed() {
      await index.refresh();
      const found = new Map<number, number>();
      let after: string | null = null;
      do {
        const page = await index.search({ text: '', filters: {}, sort: 'created_at_desc', limit: 100, after });
        for (const hit of page.hits) found.set(hit.id, hit.version);
        after = page.nextCursor;
      } while (after !== null);
      return found;
    },
    async queue() {
      const rows = (await world.knex('indexing_queue').select('status').count({ n: '*' }).groupBy('status')) as {
        status: string;
        n: string | number;
      }[];
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    },
    async reset() {
      await world.reset();
      await clear();
    },
    async dispose() {
      await drop();
      await index.close();
      await world.dispose();
    },
  };
}

/** Polls `check` every 25 ms until it returns true, failing after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
