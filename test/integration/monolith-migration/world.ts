import type { Knex } from 'knex';
import { buildMonolithMigration } from '../../../adapters/composition/monolith-migration.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import type { MigrationRequest } from '../../../src/monolith-migration/run-migration.ts';
import type { MigrationReport } from '../../../src/monolith-migration/run-report.ts';
import {
  type FreshMonolithOptions,
  freshMonolith,
  type MonolithDatabase,
} from '../../fixtures/monolith/monolith-database.ts';
import { freshPostgres, type TestDatabase } from '../../support/databases.ts';

/** A migrated target database on the real PostgreSQL: fresh, with every schema migration applied. */
export async function freshTarget(options: { migrate?: boolean } = {}): Promise<TestDatabase & { url: string }> {
  const database = await freshPostgres('monolith_tgt');
  if (options.migrate !== false) await new KnexSchemaMigrator(database.knex).latest();
  return database as TestDatabase & { url: string };
}

export type RunOverrides = Partial<Omit<MigrationRequest, 'mapping'>> & {
  mapping?: Partial<MigrationRequest['mapping']>;
};

/** Runs the use case in this process, as the CLI composes it, and returns its report. */
export async function migrate(source: string, target: string, overrides: RunOverrides = {}): Promise<MigrationReport> {
  const migration = await buildMonolithMigration({ source, target, toolVersion: 'test' });
  try {
    return await migration.migrate.execute({
      sourceZone: overrides.sourceZone ?? 'Europe/Belgrade',
      batchSize: overrides.batchSize ?? 100,
      since: overrides.since ?? null,
      dryRun: overrides.dryRun ?? false,
      enqueue: overrides.enqueue ?? true,
      recordedOptions: {},
      shouldStop: overrides.shouldStop ?? (() => false),
      mapping: {
        rejectShortTitle: false,
        priceFallback: null,
        ownerFallback: null,
        categoryFallback: null,
        ...overrides.mapping,
      },
      ...(overrides.onProgress ? { onProgress: overrides.onProgress } : {}),
    });
  } finally {
    await migration.close();
  }
}

export async function monolith(options: Partial<FreshMonolithOptions> = {}): Promise<MonolithDatabase> {
  return freshMonolith({ rows: 300, seed: 11, ...options } as FreshMonolithOptions);
}

/** Tables the migration writes: the rows' content (generated ids left out) and their order. */
const CONTENT: Readonly<Record<string, readonly [select: string, order: string]>> = {
  c2c_categories: ['SELECT * FROM c2c_categories', 'id'],
  storefronts: ['SELECT * FROM storefronts', 'id'],
  listings: ['SELECT * FROM listings', 'id'],
  listing_images: ['SELECT * FROM listing_images', 'id'],
  listing_locations: [
    `SELECT listing_id, country, city, postal_code, address_line1, address_line2, latitude, longitude, created_at,
            updated_at FROM listing_locations`,
    'listing_id',
  ],
  listing_attributes: [
    'SELECT listing_id, attribute_key, attribute_value, created_at FROM listing_attributes',
    'listing_id, attribute_key',
  ],
  b2c_product_variants: ['SELECT * FROM b2c_product_variants', 'id'],
  c2c_favorites: ['SELECT * FROM c2c_favorites', 'user_id, listing_id'],
  inventory_movements: ['SELECT * FROM inventory_movements', 'id'],
};

/**
 * `rows:md5` of every target table's full content, table by table (the issue's "full-table checksum"); `where`
 * narrows a table to some of its rows.
 */
export async function targetChecksums(
  knex: Knex,
  where: Partial<Record<string, string>> = {},
): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const [table, [select, order]] of Object.entries(CONTENT)) {
    const filter = where[table] === undefined ? '' : `WHERE ${where[table]}`;
    const result = (await knex.raw(
      `SELECT md5(coalesce(string_agg(q::text, E'\\n' ORDER BY ${order
        .split(', ')
        .map((c) => `q.${c}`)
        .join(', ')}), '')) AS sum, count(*)::int AS n FROM (${select}) q ${filter}`,
    )) as { rows: { sum: string; n: number }[] };
    sums[table] = `${result.rows[0]?.n}:${result.rows[0]?.sum}`;
  }
  return sums;
}

/** Rows of a query on one database. */
export async function rows<T>(knex: Knex, sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<T[]> {
  return ((await knex.raw(sql, bindings)) as { rows: T[] }).rows;
}
