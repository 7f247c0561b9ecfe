import type { Knex } from 'knex';

/**
 * A small category tree for development and tests (not applied by migrations; production categories are data).
 * Three levels deep, so tree building is exercised beyond grandchildren. Idempotent: rows are matched by slug.
 * Run with `seed(knex)`, or knex's `seed.run({ directory: 'migrations/seeds', loadExtensions: ['.ts'] })`.
 */
interface SeedCategory {
  readonly slug: string;
  readonly name: string;
  readonly parent?: string;
  readonly icon?: string;
  readonly sortOrder: number;
}

export const SEED_CATEGORIES: readonly SeedCategory[] = [
  { slug: 'electronics', name: 'Electronics', icon: 'devices', sortOrder: 1 },
  { slug: 'phones', name: 'Phones', parent: 'electronics', sortOrder: 1 },
  { slug: 'smartphones', name: 'Smartphones', parent: 'phones', sortOrder: 1 },
  { slug: 'phone-accessories', name: 'Phone accessories', parent: 'phones', sortOrder: 2 },
  { slug: 'computers', name: 'Computers', parent: 'electronics', sortOrder: 2 },
  { slug: 'vehicles', name: 'Vehicles', icon: 'car', sortOrder: 2 },
  { slug: 'bicycles', name: 'Bicycles', parent: 'vehicles', sortOrder: 1 },
  { slug: 'home-garden', name: 'Home & garden', icon: 'home', sortOrder: 3 },
  { slug: 'furniture', name: 'Furniture', parent: 'home-garden', sortOrder: 1 },
  { slug: 'fashion', name: 'Fashion', icon: 'shirt', sortOrder: 4 },
];

export async function seed(knex: Knex): Promise<void> {
  // Parents come before their children in SEED_CATEGORIES, so one pass in order resolves every parent.
  for (const category of SEED_CATEGORIES) {
    await knex.raw(
      `INSERT INTO c2c_categories (name, slug, icon, sort_order, parent_id, level)
       SELECT ?, ?, ?, ?, parent.id, COALESCE(parent.level + 1, 0)
       FROM (SELECT NULL) AS root
       LEFT JOIN c2c_categories AS parent ON parent.slug = ?
       ON CONFLICT (slug) DO NOTHING`,
      [category.name, category.slug, category.icon ?? null, category.sortOrder, category.parent ?? null],
    );
  }
}
