import type { Knex } from 'knex';

/**
 * Extensions and the trigger function shared by every table with an `updated_at` column.
 *
 * - `cube` + `earthdistance`: the storefronts GIST index on `ll_to_earth(latitude, longitude)` and distance search.
 * - `pg_trgm`: trigram similarity for the PostgreSQL search fallback.
 * - `uuid-ossp`: kept for scripts written against the original (`uuid_generate_v4()`); the schema itself uses the
 *   core `gen_random_uuid()` (PostgreSQL 13+), the same version-4 UUID without an extension.
 * All four are "trusted" extensions: the database owner may create them without being a superuser. On PGlite they
 * must also be loaded into the instance (adapters/pglite/pglite-knex.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
    CREATE EXTENSION IF NOT EXISTS cube;
    CREATE EXTENSION IF NOT EXISTS earthdistance;
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      NEW.updated_at = now();
      RETURN NEW;
    END;
    $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION IF EXISTS update_updated_at_column();
    DROP EXTENSION IF EXISTS pg_trgm;
    DROP EXTENSION IF EXISTS earthdistance;
    DROP EXTENSION IF EXISTS cube;
    DROP EXTENSION IF EXISTS "uuid-ossp";
  `);
}
