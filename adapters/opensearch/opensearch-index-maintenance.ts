import { Client } from '@opensearch-project/opensearch';
import type { IndexItemResult, IndexRemoval } from '../../ports/search-index.ts';
import type {
  BucketCounts,
  IndexInventory,
  ScanOptions,
  SearchIndexMaintenance,
  StoredDocument,
} from '../../ports/search-index-maintenance.ts';
import { AppError } from '../../src/domain/errors.ts';
import { fromSource } from '../../src/search/search-document-reader.ts';
import {
  aliasTargets,
  checkVersionedName,
  type IndexLayout,
  indexExists,
  isVersionedName,
} from './opensearch-aliases.ts';
import { DEFAULT_BULK_LIMITS, deleteActions, sendBulk } from './opensearch-bulk.ts';
import { isIndexNotFound, statusOf, translateOpenSearchError } from './opensearch-errors.ts';
import type { OpenSearchSearchIndexOptions } from './opensearch-search-index.ts';

interface Hit {
  readonly _id: string;
  readonly _version?: number;
  readonly found?: boolean;
  readonly _source?: unknown;
}

const MAX_BATCH = 1000;
/** Composite buckets (status × category pairs) per counting request. */
const COUNT_PAGE = 1000;

interface CompositeAggregation {
  readonly buckets: readonly { readonly key: { status?: unknown; category?: unknown }; readonly doc_count: number }[];
  readonly after_key?: Record<string, unknown>;
}
const CHECKPOINT_KEY = 'listings_reindex_checkpoint';

/**
 * {@link SearchIndexMaintenance} on OpenSearch, over the same layout as `OpenSearchSearchIndex` (read alias
 * `<alias>`, write alias `<alias>_write`, indices `<alias>_v<N>`, retired ones marked `<alias>_retired_<seq>`).
 * Scans sort on the mapped `id` (a long) with `search_after`, so no scroll context is held; lookups use `_mget`,
 * which reads in real time.
 */
export class OpenSearchIndexMaintenance implements SearchIndexMaintenance {
  readonly engine = 'opensearch' as const;
  readonly #client: Client;
  readonly #layout: Pick<IndexLayout, 'read' | 'write'>;

  constructor(options: OpenSearchSearchIndexOptions) {
    const auth =
      options.username === undefined || options.username === ''
        ? undefined
        : { username: options.username, password: options.password ?? '' };
    this.#client = new Client({
      nodes: [...options.addresses],
      ...(auth === undefined ? {} : { auth }),
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      maxRetries: 2,
    });
    this.#layout = { read: options.alias, write: `${options.alias}_write` };
  }

  async indices(): Promise<IndexInventory> {
    return this.#guard('listing indices', async () => {
      const serving = (await aliasTargets(this.#client, this.#layout.read))[0] ?? null;
      const retired = await this.#retired();
      const found = (await this.#call('GET', `/_cat/indices/${this.#layout.read}_v*?format=json&h=index`)) as {
        index: string;
      }[];
      const known = new Set([serving, ...retired]);
      const other = found
        .map((row) => row.index)
        .filter((name) => isVersionedName(this.#layout as IndexLayout, name) && !known.has(name))
        .sort();
      return { serving, retired, other };
    });
  }

  async scanDocuments(options: ScanOptions): Promise<readonly StoredDocument[]> {
    const target = await this.#target(options.name);
    const body = {
      size: batchLimit(options.limit),
      sort: [{ id: 'asc' }],
      search_after: [options.afterId],
      version: true,
      track_total_hits: false,
      query: { match_all: {} },
    };
    const found = (await this.#guard('scanning documents', () => this.#call('POST', `/${target}/_search`, body))) as {
      hits: { hits: Hit[] };
    };
    return found.hits.hits.map(stored);
  }

  async getDocuments(ids: readonly number[], name?: string): Promise<readonly StoredDocument[]> {
    if (ids.length === 0) return [];
    if (ids.length > MAX_BATCH) throw tooMany(ids.length);
    const target = await this.#target(name);
    const found = (await this.#guard('reading documents', () =>
      this.#call('POST', `/${target}/_mget`, { ids: ids.map(String) }),
    )) as { docs: Hit[] };
    return found.docs.filter((doc) => doc.found === true).map(stored);
  }

  async removeFrom(name: string, items: readonly IndexRemoval[]): Promise<readonly IndexItemResult[]> {
    await this.#target(name);
    return sendBulk(this.#client, deleteActions(name, items), DEFAULT_BULK_LIMITS, false);
  }

  async saveCheckpoint(name: string, checkpoint: string): Promise<void> {
    await this.#target(name);
    // `_meta` of the mapping: stored in the cluster state with the index, and allowed under `dynamic: strict`.
    await this.#guard('saving a checkpoint', () =>
      this.#call('PUT', `/${name}/_mapping`, { _meta: { [CHECKPOINT_KEY]: checkpoint } }),
    );
  }

  async checkpoint(name: string): Promise<string | null> {
    await this.#target(name);
    const found = (await this.#guard('reading a checkpoint', () => this.#call('GET', `/${name}/_mapping`))) as Record<
      string,
      { mappings?: { _meta?: Record<string, unknown> } }
    >;
    const value = found[name]?.mappings?._meta?.[CHECKPOINT_KEY];
    return typeof value === 'string' ? value : null;
  }

  async countDocuments(name?: string): Promise<BucketCounts> {
    const target = await this.#target(name);
    let total = 0;
    const byStatus: Record<string, number> = {};
    const byCategory: Record<string, number> = {};
    // Composite aggregations page through every bucket (a terms aggregation would cap the category count).
    let after: Record<string, unknown> | undefined;
    for (;;) {
      const body = {
        size: 0,
        track_total_hits: true,
        query: { match_all: {} },
        aggs: {
          buckets: {
            composite: {
              size: COUNT_PAGE,
              sources: [
                { status: { terms: { field: 'status', missing_bucket: true } } },
                { category: { terms: { field: 'category_id', missing_bucket: true } } },
              ],
              ...(after === undefined ? {} : { after }),
            },
          },
        },
      };
      const found = (await this.#guard('counting documents', () => this.#call('POST', `/${target}/_search`, body))) as {
        hits: { total: { value: number } };
        aggregations: { buckets: CompositeAggregation };
      };
      total = found.hits.total.value;
      const { buckets, after_key } = found.aggregations.buckets;
      for (const bucket of buckets) {
        const status = String(bucket.key.status ?? 'none');
        const category = String(bucket.key.category ?? 'none');
        byStatus[status] = (byStatus[status] ?? 0) + bucket.doc_count;
        byCategory[category] = (byCategory[category] ?? 0) + bucket.doc_count;
      }
      if (buckets.length < COUNT_PAGE || after_key === undefined) break;
      after = after_key;
    }
    return { total, byStatus, byCategory };
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  /** The named versioned index (checked to exist), or the read alias. */
  async #target(name: string | undefined): Promise<string> {
    if (name === undefined) return this.#layout.read;
    checkVersionedName(this.#layout as IndexLayout, name);
    if (await this.#guard('reading an index', () => indexExists(this.#client, name))) return name;
    const message = `no such search index: ${name}`;
    throw new AppError('VALIDATION_FAILED', message, {
      violations: [{ field: 'index', reason: 'not_found', message }],
    });
  }

  async #retired(): Promise<string[]> {
    const prefix = `${this.#layout.read}_retired_`;
    let found: Record<string, { aliases: Record<string, unknown> }>;
    try {
      found = (await this.#call('GET', `/_alias/${prefix}*`)) as typeof found;
    } catch (error) {
      if (statusOf(error) === 404) return [];
      throw error;
    }
    return Object.entries(found)
      .map(([name, { aliases }]) => ({
        name,
        sequence: Math.max(...Object.keys(aliases).map((alias) => Number(alias.slice(prefix.length)) || 0)),
      }))
      .sort((a, b) => b.sequence - a.sequence)
      .map((index) => index.name);
  }

  async #call(method: string, path: string, body?: Record<string, unknown>): Promise<unknown> {
    const response = await this.#client.transport.request({ method, path, ...(body === undefined ? {} : { body }) });
    return response.body;
  }

  async #guard<T>(doing: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isIndexNotFound(error)) {
        throw new AppError('PRECONDITION_FAILED', `the search index ${this.#layout.read} does not exist: create it`, {
          cause: error,
        });
      }
      throw translateOpenSearchError(error, doing);
    }
  }
}

function stored(hit: Hit): StoredDocument {
  return { id: Number(hit._id), version: hit._version ?? 0, document: fromSource(hit._source) };
}

function batchLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BATCH) throw tooMany(limit);
  return limit;
}

function tooMany(count: number): AppError {
  const message = `between 1 and ${MAX_BATCH} documents per call, not ${count}`;
  return new AppError('VALIDATION_FAILED', message, {
    violations: [{ field: 'limit', reason: 'out_of_range', message }],
  });
}
