import type { Knex } from 'knex';
import {
  type ImageKeyIndex,
  type KeyOrderPosition,
  MAX_LISTINGS_PER_LOOKUP,
  type StoredImageKey,
} from '../../ports/image-key-index.ts';
import { AppError } from '../../src/domain/errors.ts';
import { PlainSqlSession, type SqlSession } from './sql-session.ts';

/**
 * ImageKeyIndex on knex: one statement per lookup, served by `idx_listing_images_listing_id_display_order` (the
 * listing id leads it), so the orphan collector never scans `listing_images` as a whole. `storedImagesInKeyOrder`
 * pages through `idx_listing_images_storage_key` (migration 20261126031500): `COLLATE "C"` orders by bytes, which in
 * a UTF-8 database is the keys' UTF-8 byte order, the object store's.
 */
export class KnexImageKeyIndex implements ImageKeyIndex {
  readonly #session: SqlSession;

  constructor(knex: Knex) {
    this.#session = new PlainSqlSession(knex);
  }

  async storageKeysOf(listingIds: readonly number[]): Promise<Set<string>> {
    if (listingIds.length > MAX_LISTINGS_PER_LOOKUP) {
      throw new AppError('INTERNAL', `at most ${MAX_LISTINGS_PER_LOOKUP} listings per storage key lookup`);
    }
    if (listingIds.length === 0) return new Set();
    return this.#session.query(async (db) => {
      const rows = (await db('listing_images')
        .whereIn('listing_id', listingIds)
        .whereNotNull('storage_key')
        .select('storage_key')) as { storage_key: string }[];
      return new Set(rows.map((row) => row.storage_key));
    });
  }

  async storedImagesInKeyOrder(after: KeyOrderPosition | undefined, limit: number): Promise<readonly StoredImageKey[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new AppError('INTERNAL', `between 1 and 1000 image rows per page, not ${limit}`);
    }
    return this.#session.query(async (db) => {
      const query = db('listing_images').whereNotNull('storage_key');
      // The row comparison is an index condition of idx_listing_images_storage_key, so a page reads just its rows.
      if (after !== undefined) {
        query.whereRaw('(storage_key COLLATE "C", id) > (? COLLATE "C", ?)', [after.storageKey, after.id]);
      }
      const rows = (await query
        .orderByRaw('storage_key COLLATE "C", id')
        .limit(limit)
        .select('id', 'listing_id', 'storage_key')) as { id: number; listing_id: number; storage_key: string }[];
      return rows.map((row) => ({
        id: Number(row.id),
        listingId: Number(row.listing_id),
        storageKey: row.storage_key,
      }));
    });
  }
}
