import type { Knex } from 'knex';
import type {
  ListingPage,
  ListingPageResult,
  ListingRelationsInput,
  ListingRepository,
  ReindexBatch,
  ReindexBatchOptions,
} from '../../ports/listing-repository.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { Listing, ListingDetails, NewListing } from '../../src/domain/listing.ts';
import type { ListingUpdate } from '../../src/domain/listing-changes.ts';
import type { ListingFilter } from '../../src/domain/listing-query.ts';
import type { SourceType } from '../../src/domain/listing-status.ts';
import { findListingById, findListingsByIds } from './listing-by-id.ts';
import { listPage } from './listing-queries.ts';
import { type ListingRow, listingInsertColumns, listingUpdateColumns, toListing } from './listing-rows.ts';
import { replaceSideRows, withSideRows } from './listing-side-rows.ts';
import type { SqlSession } from './sql-session.ts';

const REINDEX_MAX_BATCH = 1000;

function notFound(id: number): AppError {
  return new AppError('LISTING_NOT_FOUND', 'listing not found', { details: { listingId: id } });
}

/**
 * ListingRepository on knex (PostgreSQL and PGlite). `version` is kept by the schema's trigger (raised by content
 * changes, kept by counter updates); this adapter only compares it. `updated_at` is set by a trigger on updates and
 * by the column default on inserts.
 */
export class KnexListingRepository implements ListingRepository {
  readonly #session: SqlSession;

  constructor(session: SqlSession) {
    this.#session = session;
  }

  /** One statement (listing-by-id.ts): its own consistent snapshot, so no transaction and one round trip. */
  findById(id: number): Promise<ListingDetails | null> {
    return this.#session.query((db) => findListingById(db, id));
  }

  /** One statement too (listing-by-id.ts): the ids as one array parameter. */
  findManyByIds(ids: readonly number[]): Promise<ListingDetails[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.#session.query((db) => findListingsByIds(db, ids));
  }

  findRow(
    id: number,
    options: { readonly forUpdate?: boolean; readonly includeDeleted?: boolean } = {},
  ): Promise<Listing | null> {
    return this.#session.query(async (db) => {
      const query = db('listings').where({ id });
      if (options.includeDeleted !== true) query.where({ is_deleted: false });
      if (options.forUpdate === true) query.forUpdate();
      const row = (await query.first()) as ListingRow | undefined;
      return row === undefined ? null : toListing(row);
    });
  }

  list(filter: ListingFilter, page: ListingPage): Promise<ListingPageResult> {
    return this.#session.atomic((db) => listPage(db, filter, page), { readOnly: true });
  }

  async insert(row: NewListing): Promise<Listing> {
    const [inserted] = await this.insertMany([row]);
    return inserted as Listing;
  }

  insertMany(rows: readonly NewListing[]): Promise<Listing[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return this.#session.query(async (db) => {
      const stored = (await db('listings').insert(rows.map(listingInsertColumns)).returning('*')) as ListingRow[];
      // RETURNING order is not promised by PostgreSQL; every row has its own uuid.
      const byUuid = new Map(stored.map((row) => [row.uuid, toListing(row)]));
      return rows.map((row) => byUuid.get(row.uuid) as Listing);
    });
  }

  async update(id: number, expectedVersion: number | null, update: ListingUpdate): Promise<Listing> {
    const columns = listingUpdateColumns(update);
    if (Object.keys(columns).length === 0) {
      const current = await this.findRow(id);
      if (current === null) throw notFound(id);
      return current;
    }
    return this.#writeLive(id, expectedVersion, (query) => query.update(columns));
  }

  softDelete(id: number, at: Date, expectedVersion: number | null = null): Promise<Listing> {
    return this.#writeLive(id, expectedVersion, (query) => query.update({ is_deleted: true, deleted_at: at }));
  }

  hardDelete(id: number): Promise<Listing | null> {
    return this.#session.query(async (db) => {
      const [row] = (await db('listings').where({ id }).delete().returning('*')) as ListingRow[];
      return row === undefined ? null : toListing(row);
    });
  }

  replaceRelations(listingId: number, relations: ListingRelationsInput): Promise<void> {
    return this.#session.atomic((db) => replaceSideRows(db, listingId, relations));
  }

  listForReindex(options: ReindexBatchOptions): Promise<ReindexBatch> {
    const limit = Math.max(1, Math.min(options.limit, REINDEX_MAX_BATCH));
    return this.#session.atomic(
      async (db) => {
        const query = db('listings').where('is_deleted', false).where('id', '>', options.afterId);
        if ((options.scope ?? 'searchable') === 'searchable') query.where({ status: 'active', visibility: 'public' });
        const rows = (await query.orderBy('id').limit(limit)) as ListingRow[];
        const items = await withSideRows(db, rows.map(toListing));
        return { items, nextAfterId: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
      },
      { readOnly: true },
    );
  }

  countForReindex(options: { readonly scope?: 'searchable' | 'live' } = {}): Promise<number> {
    return this.#session.query(async (db) => {
      const query = db('listings').where('is_deleted', false);
      if ((options.scope ?? 'searchable') === 'searchable') query.where({ status: 'active', visibility: 'public' });
      const [row] = (await query.count({ count: '*' })) as { count: string | number }[];
      return Number(row?.count ?? 0);
    });
  }

  incrementViewCount(
    id: number,
    options: { readonly by?: number; readonly sourceType?: SourceType } = {},
  ): Promise<number | null> {
    return this.#session.query(async (db) => {
      const query = db('listings').where({ id, is_deleted: false });
      if (options.sourceType !== undefined) query.where({ source_type: options.sourceType });
      const [row] = (await query
        .update({ view_count: db.raw('view_count + ?', [options.by ?? 1]) })
        .returning('view_count')) as { view_count: number }[];
      return row?.view_count ?? null;
    });
  }

  /**
   * A compare-and-set write on a live row: `WHERE id AND NOT is_deleted [AND version = expected]`. When nothing
   * matched, the row is read again to tell a missing or deleted row from a stale version.
   */
  #writeLive(
    id: number,
    expectedVersion: number | null,
    write: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
  ): Promise<Listing> {
    return this.#session.atomic(async (db) => {
      const query = db('listings').where({ id, is_deleted: false });
      if (expectedVersion !== null) query.where({ version: expectedVersion });
      const [row] = (await write(query).returning('*')) as ListingRow[];
      if (row !== undefined) return toListing(row);
      const current = (await db('listings').where({ id, is_deleted: false }).first('version')) as
        | { version: number }
        | undefined;
      if (current === undefined) throw notFound(id);
      throw new AppError(
        'VERSION_CONFLICT',
        `listing ${id} changed: version ${current.version}, not ${expectedVersion}`,
        {
          details: { listingId: id, expected: expectedVersion, actual: current.version },
        },
      );
    });
  }
}
