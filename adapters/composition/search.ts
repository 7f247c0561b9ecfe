import type { Knex } from 'knex';
import type { DependencyCheck } from '../../ports/health-check.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import type { Config } from '../config/config.ts';
import { OpenSearchSearchIndex } from '../opensearch/opensearch-search-index.ts';
import { PgSearchIndex } from '../pgsearch/pg-search-index.ts';

export interface SearchAdapters {
  readonly searchIndex: SearchIndex;
  readonly engine: Config['search']['engine'];
  readonly check: DependencyCheck;
}

/**
 * The search index of the config: OpenSearch when it is configured, else PostgreSQL full-text search on the
 * application's own database (the embedded default). OpenSearch is not critical for readiness: reads and writes
 * go on without it, the outbox keeps what the index missed, and the worker catches up when it returns.
 */
export function buildSearchIndex(config: Config, knex: Knex): SearchAdapters {
  if (config.search.engine === 'opensearch') {
    const searchIndex = new OpenSearchSearchIndex({
      addresses: config.opensearch.addresses,
      username: config.opensearch.username,
      password: config.opensearch.password,
      alias: config.opensearch.index,
    });
    return {
      searchIndex,
      engine: 'opensearch',
      check: {
        name: 'opensearch',
        critical: false,
        async check() {
          await searchIndex.count();
        },
      },
    };
  }
  const searchIndex = new PgSearchIndex({ knex });
  return {
    searchIndex,
    engine: 'postgres',
    check: {
      name: 'search',
      critical: false,
      async check() {
        await searchIndex.count();
      },
    },
  };
}
