/**
 * Search that keeps answering while the search engine is down. Reads (search, suggest) go to the primary index
 * (OpenSearch) while it answers; when it is unreachable (a read fails with DEPENDENCY_UNAVAILABLE, or the indexing
 * worker's breaker reports it down), they are answered by the fallback index (the PostgreSQL mirror the worker
 * keeps, see mirrored-search-index.ts), the answer says so (`servedBy: postgres`, as each engine names itself in
 * its answers), and one log line marks each switch.
 * Meanwhile the primary is probed (`count()`) in the background, after 2 s, then 4 s, ... at most every 30 s; the
 * first probe that answers switches reads back. A request never waits for a probe: while the primary is down,
 * every read goes straight to the fallback.
 *
 * Cursors belong to the engine that issued them: a page cursor from one engine given to the other is refused as
 * invalid (VALIDATION_FAILED), so a client paging across a switch restarts its walk instead of getting gaps.
 * Writes and the index lifecycle (ensureIndex, reindex steps, count, refresh) are the primary's.
 */
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { SearchIndex, SearchQuery, SearchResult, Suggestion, SuggestRequest } from '../../ports/search-index.ts';
import { AppError } from '../domain/errors.ts';

export interface FailoverPolicy {
  /** First probe after the primary went down, milliseconds; doubles after each failed probe. */
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_FAILOVER_POLICY: FailoverPolicy = { initialMs: 2_000, maxMs: 30_000 };

export interface FailoverDeps {
  readonly primary: SearchIndex;
  readonly fallback: SearchIndex;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy?: FailoverPolicy;
}

export class FailoverSearchIndex implements SearchIndex {
  readonly #primary: SearchIndex;
  readonly #fallback: SearchIndex;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #policy: FailoverPolicy;
  #down = false;
  #delayMs: number;
  #probeAt = 0;
  #probing: Promise<void> | undefined;

  constructor(deps: FailoverDeps) {
    this.#primary = deps.primary;
    this.#fallback = deps.fallback;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#policy = deps.policy ?? DEFAULT_FAILOVER_POLICY;
    this.#delayMs = this.#policy.initialMs;
  }

  get engine(): SearchIndex['engine'] {
    return this.#primary.engine;
  }

  /** True while reads are answered by the fallback. */
  get degraded(): boolean {
    return this.#down;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    if (this.#primaryServes()) {
      try {
        return await this.#primary.search(query);
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        this.primaryUnavailable(error);
      }
    }
    return this.#fallback.search(query);
  }

  async suggest(request: SuggestRequest): Promise<readonly Suggestion[]> {
    if (this.#primaryServes()) {
      try {
        return await this.#primary.suggest(request);
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        this.primaryUnavailable(error);
      }
    }
    return this.#fallback.suggest(request);
  }

  /** The primary failed (a read here, or the indexing worker's writes): reads go to the fallback until a probe answers. */
  primaryUnavailable(error?: unknown): void {
    if (this.#down) return;
    this.#down = true;
    this.#delayMs = this.#policy.initialMs;
    this.#probeAt = this.#clock.monotonicMs() + this.#delayMs;
    this.#logger.warn(
      { err: error, primary: this.#primary.engine, fallback: this.#fallback.engine, probe_in_ms: this.#delayMs },
      'search: the search engine is unavailable; answering from the fallback index',
    );
  }

  /** The primary answers again (a probe here, or the worker's breaker closed): reads go back to it. */
  primaryAvailable(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#logger.info({ primary: this.#primary.engine }, 'search: the search engine answers again; reads use it');
  }

  upsert: SearchIndex['upsert'] = (documents) => this.#primary.upsert(documents);
  remove: SearchIndex['remove'] = (items) => this.#primary.remove(items);
  ensureIndex: SearchIndex['ensureIndex'] = () => this.#primary.ensureIndex();
  createVersionedIndex: SearchIndex['createVersionedIndex'] = () => this.#primary.createVersionedIndex();
  bulkInto: SearchIndex['bulkInto'] = (name, documents) => this.#primary.bulkInto(name, documents);
  swapAlias: SearchIndex['swapAlias'] = (name, options) => this.#primary.swapAlias(name, options);
  dropIndex: SearchIndex['dropIndex'] = (name) => this.#primary.dropIndex(name);
  count: SearchIndex['count'] = (name) => this.#primary.count(name);
  refresh: SearchIndex['refresh'] = (name) => this.#primary.refresh(name);
  close: SearchIndex['close'] = () => this.#primary.close();

  /** Whether this read goes to the primary; while it is down, starts a due probe in the background. */
  #primaryServes(): boolean {
    if (!this.#down) return true;
    if (this.#probing === undefined && this.#clock.monotonicMs() >= this.#probeAt) {
      this.#probing = this.#probe().finally(() => {
        this.#probing = undefined;
      });
    }
    return false;
  }

  async #probe(): Promise<void> {
    try {
      await this.#primary.count();
    } catch (error) {
      this.#delayMs = Math.min(this.#policy.maxMs, this.#delayMs * 2);
      this.#probeAt = this.#clock.monotonicMs() + this.#delayMs;
      this.#logger.debug({ err: error, probe_in_ms: this.#delayMs }, 'search: the search engine is still unavailable');
      return;
    }
    this.primaryAvailable();
  }
}

function isUnavailable(error: unknown): boolean {
  return error instanceof AppError && error.code === 'DEPENDENCY_UNAVAILABLE';
}
