import type { Knex } from 'knex';
import type { DependencyCheck } from '../../ports/health-check.ts';
import type { Logger } from '../../ports/logger.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import { FailoverSearchIndex } from '../../src/search/failover-search-index.ts';
import { mirroredSearchIndex } from '../../src/search/mirrored-search-index.ts';
import type { Config } from '../config/config.ts';
import { OpenSearchSearchIndex } from '../opensearch/opensearch-search-index.ts';
import { PgSearchIndex } from '../pgsearch/pg-search-index.ts';
import { systemClock } from '../system/system-clock.ts';

export interface SearchAdapters {
  /** What searches read: with OpenSearch and its fallback, OpenSearch while it answers, else PostgreSQL. */
  readonly searchIndex: SearchIndex;
  /** What the indexing worker writes: with the fallback on, OpenSearch and PostgreSQL's search table together. */
  readonly writeIndex: SearchIndex;
  readonly engine: Config['search']['engine'];
  readonly check: DependencyCheck;
  /** Tells the reads what the worker's breaker learnt (the engine stopped or started answering writes). */
  engineAvailability(available: boolean): void;
}

/**
 * The search index of the config: OpenSearch when it is configured, else PostgreSQL full-text search on the
 * application's own database (the embedded default). OpenSearch is not critical for readiness: reads and writes
 * go on without it, the outbox keeps what the index missed, and the worker catches up when it returns.
 *
 * With OpenSearch and `SEARCH_FALLBACK=postgres` (the default), the worker also keeps `listing_search`
 * (src/search/mirrored-search-index.ts), and searches fail over to it while OpenSearch is unreachable
 * (src/search/failover-search-index.ts): answers say `servedBy: postgres`, each switch is logged, and searches are
 * counted under the engine that answered.
 */
export function buildSearchIndex(config: Config, knex: Knex, logger: Logger): SearchAdapters {
  if (config.search.engine === 'opensearch') {
    const opensearch = new OpenSearchSearchIndex({
      addresses: config.opensearch.addresses,
      username: config.opensearch.username,
      password: config.opensearch.password,
      alias: config.opensearch.index,
    });
    const check: DependencyCheck = {
      name: 'opensearch',
      critical: false,
      async check() {
        await opensearch.count();
      },
    };
    if (config.search.fallback === 'none') {
      return { searchIndex: opensearch, writeIndex: opensearch, engine: 'opensearch', check, engineAvailability() {} };
    }
    const postgres = new PgSearchIndex({ knex });
    const failover = new FailoverSearchIndex({ primary: opensearch, fallback: postgres, clock: systemClock, logger });
    return {
      searchIndex: failover,
      writeIndex: mirroredSearchIndex(opensearch, postgres),
      engine: 'opensearch',
      check,
      engineAvailability(available) {
        if (available) failover.primaryAvailable();
        else failover.primaryUnavailable();
      },
    };
  }
  const searchIndex = new PgSearchIndex({ knex });
  return {
    searchIndex,
    writeIndex: searchIndex,
    engine: 'postgres',
    check: {
      name: 'search',
      critical: false,
      async check() {
        await searchIndex.count();
      },
    },
    engineAvailability() {},
  };
}
