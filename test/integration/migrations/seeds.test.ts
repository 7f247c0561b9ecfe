import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { SEED_CATEGORIES, seed } from '../../../migrations/seeds/categories.ts';
import { freshPglite, type TestDatabase } from '../../support/databases.ts';

describe('the development category seed', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshPglite();
    await new KnexSchemaMigrator(db.knex).latest();
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('loads a three-level tree, and loading it again changes nothing', async () => {
    await seed(db.knex);
    await seed(db.knex);
    const rows = (await db.knex('c2c_categories').select('slug', 'level', 'parent_id', 'id')) as {
      slug: string;
      level: number;
      parent_id: number | null;
      id: number;
    }[];
    expect(rows).toHaveLength(SEED_CATEGORIES.length);
    const bySlug = new Map(rows.map((row) => [row.slug, row]));
    expect(bySlug.get('smartphones')).toMatchObject({ level: 2, parent_id: bySlug.get('phones')?.id });
    expect(bySlug.get('electronics')).toMatchObject({ level: 0, parent_id: null });
  });
});
