import type { Knex } from 'knex';

/** Reads of the system catalog the schema tests compare against; the same SQL on PostgreSQL and PGlite. */

export interface ColumnInfo {
  readonly type: string;
  readonly nullable: boolean;
  readonly default: string | null;
}

async function rows<T>(knex: Knex, sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<T[]> {
  const result = (await knex.raw(sql, bindings)) as { rows: T[] };
  return result.rows;
}

/** User tables of the public schema, without knex's own bookkeeping. */
export async function tables(knex: Knex): Promise<string[]> {
  const found = await rows<{ table_name: string }>(
    knex,
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'knex\\_migrations%'
     ORDER BY table_name`,
  );
  return found.map((row) => row.table_name);
}

/** `table.column` → type as `format_type` spells it (e.g. `numeric(15,2)`), nullability and default. */
export async function columns(knex: Knex, table: string): Promise<Record<string, ColumnInfo>> {
  const found = await rows<{ name: string; type: string; not_null: boolean; default: string | null }>(
    knex,
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS default
     FROM pg_attribute a
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    [table],
  );
  return Object.fromEntries(
    found.map((row) => [row.name, { type: row.type, nullable: !row.not_null, default: row.default }]),
  );
}

/** Constraint name → `pg_get_constraintdef` (e.g. `CHECK ((price > (0)::numeric))`). */
export async function constraints(knex: Knex, table: string): Promise<Record<string, string>> {
  const found = await rows<{ name: string; definition: string }>(
    knex,
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE conrelid = ?::regclass`,
    [table],
  );
  return Object.fromEntries(found.map((row) => [row.name, row.definition]));
}

/** Index name → its `CREATE [UNIQUE] INDEX` statement. */
export async function indexes(knex: Knex, table: string): Promise<Record<string, string>> {
  const found = await rows<{ indexname: string; indexdef: string }>(
    knex,
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ?`,
    [table],
  );
  return Object.fromEntries(found.map((row) => [row.indexname, row.indexdef]));
}

/** Names of the (non-internal) triggers on a table. */
export async function triggers(knex: Knex, table: string): Promise<string[]> {
  const found = await rows<{ tgname: string }>(
    knex,
    `SELECT tgname FROM pg_trigger WHERE tgrelid = ?::regclass AND NOT tgisinternal ORDER BY tgname`,
    [table],
  );
  return found.map((row) => row.tgname);
}

/** Functions and extensions the schema owns that are still present. */
export async function schemaObjects(knex: Knex): Promise<{ functions: string[]; extensions: string[] }> {
  const functions = await rows<{ proname: string }>(
    knex,
    `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     LEFT JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
     WHERE n.nspname = 'public' AND d.objid IS NULL ORDER BY p.proname`,
  );
  const extensions = await rows<{ extname: string }>(
    knex,
    `SELECT extname FROM pg_extension WHERE extname IN ('uuid-ossp', 'cube', 'earthdistance', 'pg_trgm') ORDER BY 1`,
  );
  return { functions: functions.map((row) => row.proname), extensions: extensions.map((row) => row.extname) };
}
