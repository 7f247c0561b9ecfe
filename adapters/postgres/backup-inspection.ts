import type { DatabaseInspection } from '../../ports/database-dump.ts';

/** A query function both `pg.Client` and PGlite offer. */
export type QueryRows = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * Ordinary tables outside the system schemas, not owned by an extension: exactly those pg_dump writes a TABLE DATA
 * entry for (partitions are leaves with their own entries; partitioned parents hold no rows of their own).
 */
const TABLES_SQL = `
  SELECT n.nspname AS schema_name, c.relname AS table_name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
    AND NOT EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY 1, 2`;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` → quoted `"schema"."table"`. */
export interface TableName {
  readonly key: string;
  readonly quoted: string;
}

export async function listTables(query: QueryRows): Promise<TableName[]> {
  const { rows } = await query(TABLES_SQL);
  return rows.map((row) => ({
    key: `${row.schema_name}.${row.table_name}`,
    quoted: `${quoteIdent(String(row.schema_name))}.${quoteIdent(String(row.table_name))}`,
  }));
}

/** The newest applied migration's timestamp prefix (as adapters/sql/knex-schema-migrator.ts reports it). */
export async function schemaVersion(query: QueryRows): Promise<string | null> {
  const exists = await query(`SELECT to_regclass('knex_migrations') IS NOT NULL AS present`);
  if (exists.rows[0]?.present !== true) return null;
  const { rows } = await query('SELECT name FROM knex_migrations ORDER BY name DESC LIMIT 1');
  const name = rows[0]?.name;
  if (typeof name !== 'string') return null;
  return /^(\d{14})_/.exec(name)?.[1] ?? name;
}

/** Row counts of every table, one `count(*)` each, and the schema version: in the caller's transaction, if any. */
export async function inspectDatabase(query: QueryRows, tables?: readonly TableName[]): Promise<DatabaseInspection> {
  const counts: Record<string, number> = {};
  for (const table of tables ?? (await listTables(query))) {
    const { rows } = await query(`SELECT count(*)::text AS n FROM ${table.quoted}`);
    counts[table.key] = Number(rows[0]?.n);
  }
  return { schemaVersion: await schemaVersion(query), tableRowCounts: counts };
}

/** Storage keys the image rows point at (`listing_images.storage_key`), or none without that table. */
export async function referencedObjectKeys(query: QueryRows): Promise<string[]> {
  const exists = await query(`SELECT to_regclass('listing_images') IS NOT NULL AS present`);
  if (exists.rows[0]?.present !== true) return [];
  const { rows } = await query(
    'SELECT DISTINCT storage_key FROM listing_images WHERE storage_key IS NOT NULL ORDER BY storage_key',
  );
  return rows.map((row) => String(row.storage_key));
}
