import type { CategoryRepository } from '../../ports/category-repository.ts';
import type { Category } from '../../src/domain/category.ts';
import { ACTIVE_CATEGORY, CATEGORY_COLUMNS, CATEGORY_ORDER, type CategoryRow, toCategory } from './category-rows.ts';
import type { SqlSession } from './sql-session.ts';

/** CategoryRepository on knex: read only, `listing_count` computed per row (category-rows.ts). */
export class KnexCategoryRepository implements CategoryRepository {
  readonly #session: SqlSession;

  constructor(session: SqlSession) {
    this.#session = session;
  }

  async findById(id: number): Promise<Category | null> {
    const [category] = await this.#select(`WHERE c.id = ?`, [id]);
    return category ?? null;
  }

  listRoots(): Promise<Category[]> {
    return this.#select(`WHERE c.parent_id IS NULL AND ${ACTIVE_CATEGORY} ORDER BY ${CATEGORY_ORDER}`);
  }

  listAll(): Promise<Category[]> {
    return this.#select(`WHERE ${ACTIVE_CATEGORY} ORDER BY ${CATEGORY_ORDER}`);
  }

  listPopular(limit: number): Promise<Category[]> {
    return this.#select(`WHERE ${ACTIVE_CATEGORY} ORDER BY listing_count DESC, c.name COLLATE "C", c.id LIMIT ?`, [
      Math.max(1, Math.min(limit, 100)),
    ]);
  }

  listSubtree(rootId: number): Promise<Category[]> {
    // Descendants at any depth (active or not) and ancestors; UNION (not ALL) also stops a cycle in bad data.
    return this.#select(
      `WHERE c.id IN (
         WITH RECURSIVE down AS (
           SELECT id FROM c2c_categories WHERE id = ?
           UNION SELECT child.id FROM c2c_categories AS child JOIN down ON child.parent_id = down.id
         ), up AS (
           SELECT id, parent_id FROM c2c_categories WHERE id = ?
           UNION SELECT parent.id, parent.parent_id FROM c2c_categories AS parent JOIN up ON parent.id = up.parent_id
         )
         SELECT id FROM down UNION SELECT id FROM up
       ) ORDER BY ${CATEGORY_ORDER}`,
      [rootId, rootId],
    );
  }

  async findActiveIds(ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    return this.#session.query(async (db) => {
      const result = (await db.raw(
        `SELECT c.id FROM c2c_categories AS c WHERE c.id = ANY(?::bigint[]) AND ${ACTIVE_CATEGORY}`,
        [[...ids]],
      )) as { rows: { id: number }[] };
      return new Set(result.rows.map((row) => row.id));
    });
  }

  #select(clauses: string, bindings: readonly number[] = []): Promise<Category[]> {
    return this.#session.query(async (db) => {
      const result = (await db.raw(`SELECT ${CATEGORY_COLUMNS} FROM c2c_categories AS c ${clauses}`, [
        ...bindings,
      ])) as { rows: CategoryRow[] };
      return result.rows.map(toCategory);
    });
  }
}
