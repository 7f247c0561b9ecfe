import { describe, expect, it } from 'vitest';
import { KnexListingCounts } from '../../../adapters/sql/knex-listing-counts.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { TARGETS } from '../../support/databases.ts';

// The grouped counts `validate --quick` compares with the index, on the real PostgreSQL 15 and on PGlite.
for (const target of TARGETS) {
  describe(`KnexListingCounts on ${target.kind}`, () => {
    it('counts searchable rows only (active, public, not deleted), in all, per status and per category', async () => {
      const db = await target.open();
      try {
        await new KnexSchemaMigrator(db.knex).latest();
        const counts = new KnexListingCounts(db.knex);
        expect(await counts.searchable()).toEqual({ total: 0, byStatus: {}, byCategory: {} });
        const category = async (slug: string) =>
          Number(
            (
              (await db.knex('c2c_categories').insert({ slug, name: slug, level: 0 }).returning('id')) as {
                id: number;
              }[]
            )[0]?.id,
          );
        const bikes = await category('count-bikes');
        const cars = await category('count-cars');
        const rows: [number, string, string, boolean][] = [
          [bikes, 'active', 'public', false],
          [bikes, 'active', 'public', false],
          [cars, 'active', 'public', false],
          [cars, 'draft', 'public', false],
          [cars, 'active', 'private', false],
          [bikes, 'active', 'public', true],
        ];
        for (const [categoryId, status, visibility, deleted] of rows) {
          await db.knex.raw(
            `INSERT INTO listings (user_id, title, price, category_id, status, visibility, quantity, is_deleted, deleted_at)
             VALUES (7, 'Counted', 100, ?, ?, ?, 1, ?, CASE WHEN ? THEN now() END)`,
            [categoryId, status, visibility, deleted, deleted],
          );
        }
        expect(await counts.searchable()).toEqual({
          total: 3,
          byStatus: { active: 3 },
          byCategory: { [String(bikes)]: 2, [String(cars)]: 1 },
        });
      } finally {
        await db.dispose();
      }
    });
  });
}
