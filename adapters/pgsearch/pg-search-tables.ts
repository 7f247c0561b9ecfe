/**
 * The reindex lifecycle on PostgreSQL: the serving table is always `listing_search` (the "alias"); a rebuild fills a
 * shadow `listing_search_v<N>` created `LIKE listing_search INCLUDING ALL` (columns, generated vectors, checks,
 * indexes), and the swap renames both in one transaction. Statements waiting on the serving table during the swap
 * resolve its name again once they get the lock, so they run against the new table: searches keep working. The
 * replaced table becomes `listing_search_r<N>` (kept for rollback: swap back to it); numbers only grow.
 */
import type { Knex } from 'knex';
import type { AliasSwap } from '../../ports/search-index.ts';
import { AppError } from '../../src/domain/errors.ts';
import { isSearchTableName, SERVING_TABLE } from './pg-search-rows.ts';

interface SideTable {
  readonly name: string;
  readonly kind: 'v' | 'r';
  readonly number: number;
}

async function rows<T>(knex: Knex, sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<T[]> {
  return ((await knex.raw(sql, bindings)) as { rows: T[] }).rows;
}

export async function tableExists(knex: Knex, name: string): Promise<boolean> {
  const found = await rows<{ found: boolean }>(knex, 'SELECT to_regclass(?) IS NOT NULL AS found', [name]);
  return found[0]?.found === true;
}

async function sideTables(knex: Knex): Promise<SideTable[]> {
  const found = await rows<{ tablename: string }>(
    knex,
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename ~ '^listing_search_[vr][0-9]+$'`,
  );
  return found.map(({ tablename }) => ({
    name: tablename,
    kind: tablename.charAt('listing_search_'.length) as 'v' | 'r',
    number: Number(tablename.slice('listing_search_'.length + 1)),
  }));
}

/** A name the caller passed: a search table of this schema, else VALIDATION_FAILED. */
export function checkTableName(name: string): string {
  if (isSearchTableName(name)) return name;
  const message = `not a search index name: ${name}`;
  throw new AppError('VALIDATION_FAILED', message, {
    violations: [{ field: 'index', reason: 'invalid_format', message }],
  });
}

export async function requireTable(knex: Knex, name: string): Promise<void> {
  if (await tableExists(knex, name)) return;
  if (name === SERVING_TABLE) {
    throw new AppError('PRECONDITION_FAILED', `${SERVING_TABLE} does not exist: run the schema migrations`);
  }
  throw new AppError('VALIDATION_FAILED', `no such search index: ${name}`, {
    violations: [{ field: 'index', reason: 'not_found', message: `no such search index: ${name}` }],
  });
}

export async function createShadowTable(knex: Knex): Promise<string> {
  await requireTable(knex, SERVING_TABLE);
  const next = Math.max(0, ...(await sideTables(knex)).map((table) => table.number)) + 1;
  const name = `listing_search_v${next}`;
  await knex.raw(`CREATE TABLE ${name} (LIKE ${SERVING_TABLE} INCLUDING ALL)`);
  return name;
}

export async function swapTables(knex: Knex, newName: string, keep: number): Promise<AliasSwap> {
  checkTableName(newName);
  if (!Number.isInteger(keep) || keep < 0) {
    const message = 'keep must be a whole number ≥ 0';
    throw new AppError('VALIDATION_FAILED', message, {
      violations: [{ field: 'keep', reason: 'out_of_range', message }],
    });
  }
  if (newName === SERVING_TABLE) return { previous: SERVING_TABLE, dropped: [] };
  return knex.transaction(async (trx) => {
    await requireTable(trx, SERVING_TABLE);
    await requireTable(trx, newName);
    const next = Math.max(0, ...(await sideTables(trx)).map((table) => table.number)) + 1;
    const retired = `listing_search_r${next}`;
    await trx.raw(`ALTER TABLE ${SERVING_TABLE} RENAME TO ${retired}`);
    await trx.raw(`ALTER TABLE ${newName} RENAME TO ${SERVING_TABLE}`);
    const old = (await sideTables(trx)).filter((table) => table.kind === 'r').sort((a, b) => b.number - a.number);
    const dropped = old.slice(keep).map((table) => table.name);
    for (const name of dropped) await trx.raw(`DROP TABLE ${name}`);
    return { previous: retired, dropped };
  });
}

export async function dropTable(knex: Knex, name: string): Promise<void> {
  checkTableName(name);
  if (name === SERVING_TABLE) {
    throw new AppError('INVALID_STATE', `${SERVING_TABLE} serves searches and cannot be dropped`);
  }
  await knex.raw(`DROP TABLE IF EXISTS ${name}`);
}

export async function countDocuments(knex: Knex, name: string): Promise<number> {
  checkTableName(name);
  await requireTable(knex, name);
  const found = await rows<{ count: number }>(knex, `SELECT count(*) AS count FROM ${name} WHERE NOT removed`);
  return Number(found[0]?.count ?? 0);
}
