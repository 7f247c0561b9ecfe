/** Every use case the gRPC handlers call, built by the composition root's builder on one database. */
import type { Knex } from 'knex';
import { buildCoreUseCases } from '../../../../adapters/composition/core-use-cases.ts';
import type { GrpcUseCases } from '../../../../adapters/grpc/handlers/index.ts';
import { MemoryCache } from '../../../../adapters/memory/cache/memory-cache.ts';
import { PgSearchIndex } from '../../../../adapters/pgsearch/pg-search-index.ts';
import { NO_METRICS } from '../../../../ports/core-metrics.ts';
import type { SearchIndex } from '../../../../ports/search-index.ts';
import { SEARCH_CACHE_NAMESPACE } from '../../../../src/listings/listing-cache.ts';
import { buildSearchDocument } from '../../../../src/search/search-document.ts';

export interface TestBackend {
  readonly useCases: GrpcUseCases;
  /** Writes the listing's search document (or removes it when it is not searchable), as the worker would. */
  indexListing(id: number): Promise<void>;
}

/** `searchIndex` is what searches read (default: PostgreSQL full text, which indexListing writes). */
export function buildBackend(knex: Knex, searchIndex?: SearchIndex): TestBackend {
  const cache = new MemoryCache();
  const index = new PgSearchIndex({ knex });
  const useCases = buildCoreUseCases({ knex, cache, metrics: NO_METRICS, searchIndex: searchIndex ?? index });
  const plain = useCases.repositories;
  return {
    useCases,
    async indexListing(id) {
      const row = await plain.listings.findById(id);
      const document = row === null ? null : buildSearchDocument(row);
      if (document !== null) await index.upsert([document]);
      else {
        const stored = await plain.listings.findRow(id, { includeDeleted: true });
        await index.remove([{ id, version: (stored?.version ?? 0) + 1 }]);
      }
      await cache.bumpGeneration(SEARCH_CACHE_NAMESPACE);
    },
  };
}
