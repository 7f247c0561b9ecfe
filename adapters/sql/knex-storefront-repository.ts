import type { Knex } from 'knex';
import type { StorefrontRepository } from '../../ports/storefront-repository.ts';
import type { Storefront, StorefrontFilter, StorefrontListQuery } from '../../src/domain/storefront.ts';
import type { SqlSession } from './sql-session.ts';
import { STOREFRONT_COLUMNS, STOREFRONT_SORT_COLUMNS, type StorefrontRow, toStorefront } from './storefront-rows.ts';

/** StorefrontRepository on knex: read only; inactive storefronts are returned too. */
export class KnexStorefrontRepository implements StorefrontRepository {
  readonly #session: SqlSession;

  constructor(session: SqlSession) {
    this.#session = session;
  }

  findById(id: number): Promise<Storefront | null> {
    return this.#findOne({ id });
  }

  findBySlug(slug: string): Promise<Storefront | null> {
    return this.#findOne({ slug });
  }

  list(query: StorefrontListQuery): Promise<{ readonly items: readonly Storefront[]; readonly total: number }> {
    return this.#session.atomic(
      async (db) => {
        const column = STOREFRONT_SORT_COLUMNS[query.sortBy];
        const direction = query.sortOrder === 'asc' ? 'asc' : 'desc';
        const rows = (await matching(db, query.filter)
          .select(STOREFRONT_COLUMNS)
          // NULLs (old rows) sort last either way; ties by id in the same direction keep pages stable.
          .orderByRaw(`${column} ${direction} NULLS LAST, id ${direction}`)
          .limit(query.page.limit)
          .offset(query.page.offset)) as StorefrontRow[];
        const counted = (await matching(db, query.filter).count({ total: '*' })) as { total: number | string }[];
        return { items: rows.map(toStorefront), total: Number(counted[0]?.total ?? 0) };
      },
      { readOnly: true },
    );
  }

  #findOne(where: { readonly id: number } | { readonly slug: string }): Promise<Storefront | null> {
    return this.#session.query(async (db) => {
      const row = (await db('storefronts').select(STOREFRONT_COLUMNS).where(where).first()) as
        | StorefrontRow
        | undefined;
      return row === undefined ? null : toStorefront(row);
    });
  }
}

function matching(db: Knex, filter: StorefrontFilter): Knex.QueryBuilder {
  const query = db('storefronts');
  if (filter.userId !== undefined) query.where('user_id', filter.userId);
  // NULL flags read as their defaults (active, not verified), as toStorefront maps them.
  if (filter.isActive !== undefined) query.whereRaw('COALESCE(is_active, true) = ?', [filter.isActive]);
  if (filter.isVerified !== undefined) query.whereRaw('COALESCE(is_verified, false) = ?', [filter.isVerified]);
  if (filter.city !== undefined) query.where('city', filter.city);
  return query;
}
