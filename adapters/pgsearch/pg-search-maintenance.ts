import type { Knex } from 'knex';
import type { IndexItemResult, IndexRemoval, SearchDocument } from '../../ports/search-index.ts';
import type {
  BucketCounts,
  IndexInventory,
  ScanOptions,
  SearchIndexMaintenance,
  StoredDocument,
} from '../../ports/search-index-maintenance.ts';
import { AppError } from '../../src/domain/errors.ts';
import { fromSource } from '../../src/search/search-document-reader.ts';
import { translateDatabaseError } from '../sql/error-translation.ts';
import { SERVING_TABLE } from './pg-search-rows.ts';
import { checkTableName, requireTable } from './pg-search-tables.ts';
import { removeDocuments } from './pg-search-writes.ts';

interface DocumentRow {
  readonly listing_id: number;
  readonly version: number;
  readonly document: unknown;
}

const MAX_BATCH = 1000;

/**
 * {@link SearchIndexMaintenance} on PostgreSQL's search tables: `listing_search` serves, `listing_search_r<N>` are
 * retired (kept for rollback, higher N = retired later), `listing_search_v<N>` are shadow tables a rebuild fills.
 * Documents are read back from the `document` column (the document as written, JSON); tombstones (`removed`) are
 * skipped.
 */
export class PgSearchMaintenance implements SearchIndexMaintenance {
  readonly engine = 'postgres' as const;
  readonly #knex: Knex;

  constructor(options: { readonly knex: Knex }) {
    this.#knex = options.knex;
  }

  indices(): Promise<IndexInventory> {
    return this.#guard(async () => {
      const found = await this.#rows<{ tablename: string }>(
        `SELECT tablename FROM pg_tables
         WHERE schemaname = current_schema() AND tablename ~ '^listing_search(_[vr][0-9]+){0,1}$'`,
      );
      const names = found.map((row) => row.tablename);
      const numbered = (kind: 'v' | 'r') =>
        names
          .filter((name) => name.startsWith(`${SERVING_TABLE}_${kind}`))
          .map((name) => ({ name, number: Number(name.slice(SERVING_TABLE.length + 2)) }))
          .sort((a, b) => b.number - a.number)
          .map((table) => table.name);
      return {
        serving: names.includes(SERVING_TABLE) ? SERVING_TABLE : null,
        retired: numbered('r'),
        other: numbered('v').reverse(),
      };
    });
  }

  async scanDocuments(options: ScanOptions): Promise<readonly StoredDocument[]> {
    const table = checkTableName(options.name ?? SERVING_TABLE);
    const limit = batchLimit(options.limit);
    return await this.#guard(async () => {
      await requireTable(this.#knex, table);
      const found = await this.#rows<DocumentRow>(
        `SELECT listing_id, version, document FROM ${table}
         WHERE listing_id > ? AND NOT removed ORDER BY listing_id LIMIT ?`,
        [options.afterId, limit],
      );
      return found.map(stored);
    });
  }

  async getDocuments(ids: readonly number[], name?: string): Promise<readonly StoredDocument[]> {
    const table = checkTableName(name ?? SERVING_TABLE);
    if (ids.length === 0) return [];
    if (ids.length > MAX_BATCH) throw tooMany(ids.length);
    return await this.#guard(async () => {
      await requireTable(this.#knex, table);
      const found = await this.#rows<DocumentRow>(
        `SELECT listing_id, version, document FROM ${table} WHERE listing_id = ANY(?::bigint[]) AND NOT removed`,
        [[...ids]],
      );
      return found.map(stored);
    });
  }

  async removeFrom(name: string, items: readonly IndexRemoval[]): Promise<readonly IndexItemResult[]> {
    const table = checkTableName(name);
    await this.#guard(() => requireTable(this.#knex, table));
    return removeDocuments(this.#knex, table, items);
  }

  async saveCheckpoint(name: string, checkpoint: string): Promise<void> {
    const table = checkTableName(name);
    await this.#guard(async () => {
      await requireTable(this.#knex, table);
      // The table's comment: transactional, dropped with the table, no schema change needed.
      await this.#knex.raw(`COMMENT ON TABLE ${table} IS ${literal(checkpoint)}`);
    });
  }

  async checkpoint(name: string): Promise<string | null> {
    const table = checkTableName(name);
    return await this.#guard(async () => {
      await requireTable(this.#knex, table);
      const found = await this.#rows<{ comment: string | null }>(
        'SELECT obj_description(to_regclass(?), ?) AS comment',
        [table, 'pg_class'],
      );
      return found[0]?.comment ?? null;
    });
  }

  async countDocuments(name?: string): Promise<BucketCounts> {
    const table = checkTableName(name ?? SERVING_TABLE);
    return await this.#guard(async () => {
      await requireTable(this.#knex, table);
      // One statement, so the three counts come from one snapshot.
      const found = await this.#rows<{ kind: 'status' | 'category'; bucket: string | null; count: string }>(
        `SELECT CASE WHEN GROUPING(status) = 0 THEN 'status' ELSE 'category' END AS kind,
                COALESCE(status, category_id::text) AS bucket, count(*) AS count
         FROM ${table} WHERE NOT removed GROUP BY GROUPING SETS ((status), (category_id))`,
      );
      const byStatus: Record<string, number> = {};
      const byCategory: Record<string, number> = {};
      for (const row of found) {
        (row.kind === 'status' ? byStatus : byCategory)[row.bucket ?? 'none'] = Number(row.count);
      }
      return { total: Object.values(byStatus).reduce((sum, count) => sum + count, 0), byStatus, byCategory };
    });
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

function stored(row: DocumentRow): StoredDocument {
  return { id: Number(row.listing_id), version: Number(row.version), document: documentOf(row.document) };
}

/**
 * The `document` column back as a SearchDocument: the serialised form (search-document-source.ts), or a row written
 * before 2026-11-26 that holds the SearchDocument itself (camelCase; JSON has no dates: the three timestamps are
 * revived), until the worker or a reindex rewrites it.
 */
function documentOf(value: unknown): SearchDocument | null {
  try {
    const raw = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown> | null;
    if (raw === null || typeof raw !== 'object') return null;
    if ('category_id' in raw) return fromSource(raw);
    const date = (field: string) => {
      const text = raw[field];
      if (text == null) return null;
      const parsed = new Date(text as string);
      if (Number.isNaN(parsed.getTime())) throw new Error(`${field} is not a date`);
      return parsed;
    };
    const createdAt = date('createdAt');
    const updatedAt = date('updatedAt');
    if (createdAt === null || updatedAt === null) return null;
    return { ...(raw as unknown as SearchDocument), createdAt, updatedAt, publishedAt: date('publishedAt') };
  } catch {
    return null;
  }
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

/** A string literal for a statement that takes no bind parameters (COMMENT ON): quotes doubled, no NUL. */
function literal(text: string): string {
  if (text.includes('\u0000')) throw new AppError('VALIDATION_FAILED', 'a checkpoint must not contain NUL');
  return `'${text.replaceAll("'", "''")}'`;
}
