import type { Knex } from 'knex';
import type {
  AliasSwap,
  FacetBucket,
  IndexItemResult,
  IndexRemoval,
  SearchDocument,
  SearchFacets,
  SearchIndex,
  SearchQuery,
  SearchResult,
  Suggestion,
  SuggestRequest,
} from '../../ports/search-index.ts';
import { invalidCursor, type Keyset } from '../../src/domain/pagination.ts';
import { decodeSearchCursor, encodeSearchCursor, searchCursorScope } from '../../src/search/search-cursor.ts';
import {
  checkSearchIndexQuery,
  checkSuggestRequest,
  compareBuckets,
  DEFAULT_FACET_SIZE,
} from '../../src/search/search-query-rules.ts';
import { translateDatabaseError } from '../sql/error-translation.ts';
import {
  aggregateStatement,
  cursorValue,
  isValidSortValue,
  pageStatement,
  type TextConfigs,
} from './pg-search-query.ts';
import { SERVING_TABLE } from './pg-search-rows.ts';
import {
  checkTableName,
  countDocuments,
  createShadowTable,
  dropTable,
  requireTable,
  swapTables,
} from './pg-search-tables.ts';
import { removeDocuments, upsertDocuments } from './pg-search-writes.ts';

export interface PgSearchIndexOptions {
  /** The application's database (PostgreSQL or PGlite), migrated to 20261125000010 or later; not closed here. */
  readonly knex: Knex;
}

interface PageRow {
  readonly listing_id: number;
  readonly version: number;
  readonly sort_key: unknown;
  readonly score: number | null;
}

interface AggregateRow {
  readonly facet: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly count: number;
}

/**
 * The search index on PostgreSQL full-text search (`listing_search`, migration 20261125000010): the embedded
 * default and the fallback when OpenSearch is not configured. Writes are visible to the next search.
 */
export class PgSearchIndex implements SearchIndex {
  readonly engine = 'postgres' as const;
  readonly #knex: Knex;
  #configs: Promise<TextConfigs> | undefined;

  constructor(options: PgSearchIndexOptions) {
    this.#knex = options.knex;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    checkSearchIndexQuery(query);
    const scope = searchCursorScope(this.engine, query);
    const after = query.after == null || query.after === '' ? null : this.#decode(query, query.after);
    const facetKeys = query.facets === undefined ? null : [...new Set(query.facets.attributeKeys ?? [])];
    try {
      const configs = await this.#textConfigs();
      const page = pageStatement(SERVING_TABLE, query, configs, after);
      const found = await this.#rows<PageRow>(page.sql, page.bindings);
      const aggregates = aggregateStatement(SERVING_TABLE, query, configs, facetKeys);
      const counts = await this.#rows<AggregateRow>(aggregates.sql, aggregates.bindings);
      const hits = found.slice(0, query.limit).map((row) => {
        const keyset: Keyset = [cursorValue(row.sort_key), Number(row.listing_id)];
        return {
          id: Number(row.listing_id),
          version: Number(row.version),
          score: row.score === null ? null : Number(row.score),
          cursor: encodeSearchCursor(scope, keyset),
        };
      });
      const total = Number(counts.find((row) => row.facet === 'total')?.count ?? 0);
      const more = found.length > query.limit;
      return {
        hits,
        total,
        facets: facetKeys === null ? null : facetsFrom(counts, facetKeys, query.facets?.size ?? DEFAULT_FACET_SIZE),
        nextCursor: more ? (hits.at(-1)?.cursor ?? null) : null,
        servedBy: this.engine,
      };
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  async suggest(request: SuggestRequest): Promise<readonly Suggestion[]> {
    const prefix = checkSuggestRequest(request);
    const words = prefix.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return [];
    const prefixQuery = words.map((word) => `'${word}':*`).join(' & ');
    try {
      const found = await this.#rows<{ listing_id: number; title: string }>(
        `SELECT listing_id, title FROM ${SERVING_TABLE}
         WHERE NOT removed AND title_words @@ to_tsquery('simple', ?)
         ORDER BY word_similarity(?, title) DESC, listing_id DESC
         LIMIT ?`,
        [prefixQuery, prefix, request.limit * 5],
      );
      const seen = new Set<string>();
      const suggestions: Suggestion[] = [];
      for (const row of found) {
        if (seen.has(row.title) || suggestions.length >= request.limit) continue;
        seen.add(row.title);
        suggestions.push({ id: Number(row.listing_id), title: row.title });
      }
      return suggestions;
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  upsert(documents: readonly SearchDocument[]): Promise<readonly IndexItemResult[]> {
    return upsertDocuments(this.#knex, SERVING_TABLE, documents);
  }

  remove(items: readonly IndexRemoval[]): Promise<readonly IndexItemResult[]> {
    return removeDocuments(this.#knex, SERVING_TABLE, items);
  }

  async ensureIndex(): Promise<{ readonly name: string; readonly created: boolean }> {
    await this.#guard(() => requireTable(this.#knex, SERVING_TABLE));
    return { name: SERVING_TABLE, created: false };
  }

  createVersionedIndex(): Promise<string> {
    return this.#guard(() => createShadowTable(this.#knex));
  }

  bulkInto(name: string, documents: readonly SearchDocument[]): Promise<readonly IndexItemResult[]> {
    return upsertDocuments(this.#knex, checkTableName(name), documents);
  }

  swapAlias(newName: string, options: { readonly keep?: number } = {}): Promise<AliasSwap> {
    return this.#guard(() => swapTables(this.#knex, newName, options.keep ?? 1));
  }

  dropIndex(name: string): Promise<void> {
    return this.#guard(() => dropTable(this.#knex, name));
  }

  count(name?: string): Promise<number> {
    return this.#guard(() => countDocuments(this.#knex, name ?? SERVING_TABLE));
  }

  async refresh(name?: string): Promise<void> {
    // Committed rows are visible at once; only check that the table exists.
    await this.#guard(() => requireTable(this.#knex, checkTableName(name ?? SERVING_TABLE)));
  }

  async close(): Promise<void> {}

  #decode(query: SearchQuery, cursor: string): Keyset {
    const keyset = decodeSearchCursor(cursor, searchCursorScope(this.engine, query), 2);
    const [value, id] = keyset;
    if (!isValidSortValue(query, value) || typeof id !== 'number' || !Number.isSafeInteger(id)) throw invalidCursor();
    return keyset;
  }

  #textConfigs(): Promise<TextConfigs> {
    this.#configs ??= this.#rows<{ found: number }>(`SELECT 1 AS found FROM pg_ts_config WHERE cfgname = 'serbian'`)
      .then((found): TextConfigs => ({ serbian: found.length > 0 ? 'serbian' : 'simple' }))
      .catch((error: unknown) => {
        this.#configs = undefined;
        throw error;
      });
    return this.#configs;
  }

  async #rows<T>(sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
    return ((await this.#knex.raw(sql, bindings as Knex.RawBinding[])) as { rows: T[] }).rows;
  }

  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

function facetsFrom(rows: readonly AggregateRow[], keys: readonly string[], size: number): SearchFacets {
  const top = <T extends number | string>(buckets: FacetBucket<T>[]) => buckets.sort(compareBuckets).slice(0, size);
  const of = (facet: string) => rows.filter((row) => row.facet === facet);
  const text = (facet: string) => top(of(facet).map((row) => ({ value: String(row.value), count: Number(row.count) })));
  const attributes: Record<string, FacetBucket<string>[]> = {};
  for (const key of keys) {
    attributes[key] = top(
      of('attribute')
        .filter((row) => row.key === key)
        .map((row) => ({ value: String(row.value), count: Number(row.count) })),
    );
  }
  return {
    category: top(of('category').map((row) => ({ value: Number(row.value), count: Number(row.count) }))),
    currency: text('currency'),
    sourceType: text('source_type'),
    attributes,
  };
}
