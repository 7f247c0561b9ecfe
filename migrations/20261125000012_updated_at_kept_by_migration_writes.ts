import type { Knex } from 'knex';

/**
 * `update_updated_at_column()` (000001) set `updated_at = now()` on every UPDATE. A migration that copies rows
 * from another system must write their own `updated_at` (monolith.md §4.3: the first monolith migration lost every
 * updated_at on reruns exactly this way). The function now keeps the written value when the transaction says so:
 * `SET LOCAL listings.keep_updated_at = 'on'`. Every other writer behaves as before.
 *
 * A flag rather than "only when the statement left updated_at alone": a source row can change without its
 * updated_at changing (the monolith did not maintain it, Q15), and that copy must still keep the source value.
 * `current_setting(name, true)` is NULL when the setting was never defined, so sessions without it pay nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('listings.keep_updated_at', true) IS DISTINCT FROM 'on' THEN
        NEW.updated_at = now();
      END IF;
      RETURN NEW;
    END;
    $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      NEW.updated_at = now();
      RETURN NEW;
    END;
    $$;
  `);
}
