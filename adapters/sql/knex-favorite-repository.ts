import type { FavoriteRepository } from '../../ports/favorite-repository.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { OffsetPage } from '../../src/domain/pagination.ts';
import type { SqlSession } from './sql-session.ts';

/**
 * FavoriteRepository on knex. Add and remove are one conditional statement each (`INSERT … ON CONFLICT DO NOTHING`,
 * `DELETE … RETURNING`), so concurrent duplicates are no error, and `listings.favorites_count` moves only when a row
 * really appeared or disappeared, in the same transaction (a counter update: the listing's version stays).
 */
export class KnexFavoriteRepository implements FavoriteRepository {
  readonly #session: SqlSession;

  constructor(session: SqlSession) {
    this.#session = session;
  }

  add(userId: number, listingId: number, at: Date): Promise<boolean> {
    return this.#session.atomic(async (db) => {
      // `created_at` is a naive TIMESTAMP: bind an instant and let the UTC session convert it.
      const inserted = (await db.raw(
        `INSERT INTO c2c_favorites (user_id, listing_id, created_at)
         SELECT ?, l.id, ?::timestamptz FROM listings AS l WHERE l.id = ? AND l.is_deleted = false
         ON CONFLICT (user_id, listing_id) DO NOTHING
         RETURNING listing_id`,
        [userId, at.toISOString(), listingId],
      )) as { rows: unknown[] };
      if (inserted.rows.length > 0) {
        await db('listings').where({ id: listingId }).increment('favorites_count', 1);
        return true;
      }
      const live = await db('listings').where({ id: listingId, is_deleted: false }).first('id');
      if (live === undefined) {
        throw new AppError('LISTING_NOT_FOUND', 'listing not found', { details: { listingId } });
      }
      return false;
    });
  }

  remove(userId: number, listingId: number): Promise<boolean> {
    return this.#session.atomic(async (db) => {
      const deleted = await db('c2c_favorites').where({ user_id: userId, listing_id: listingId }).delete();
      if (deleted === 0) return false;
      await db('listings')
        .where({ id: listingId })
        .update({ favorites_count: db.raw('GREATEST(favorites_count - 1, 0)') });
      return true;
    });
  }

  exists(userId: number, listingId: number): Promise<boolean> {
    return this.#session.query(async (db) => {
      const row = await db('c2c_favorites').where({ user_id: userId, listing_id: listingId }).first('user_id');
      return row !== undefined;
    });
  }

  listUserIds(listingId: number): Promise<number[]> {
    return this.#session.query(async (db) => {
      const rows = (await db('c2c_favorites')
        .distinct('user_id')
        .where({ listing_id: listingId })
        .orderBy('user_id')) as { user_id: number }[];
      return rows.map((row) => row.user_id);
    });
  }

  listListingIds(
    userId: number,
    page: OffsetPage,
  ): Promise<{ readonly ids: readonly number[]; readonly total: number }> {
    return this.#session.atomic(
      async (db) => {
        const rows = (await db('c2c_favorites')
          .select('listing_id')
          .where({ user_id: userId })
          .orderBy([
            { column: 'created_at', order: 'desc' },
            { column: 'listing_id', order: 'desc' },
          ])
          .limit(page.limit)
          .offset(page.offset)) as { listing_id: number }[];
        const counted = (await db('c2c_favorites').where({ user_id: userId }).count({ total: '*' })) as {
          total: number | string;
        }[];
        return { ids: rows.map((row) => row.listing_id), total: Number(counted[0]?.total ?? 0) };
      },
      { readOnly: true },
    );
  }
}
