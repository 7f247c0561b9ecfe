import type pg from 'pg';
import type {
  MonolithSnapshot,
  MonolithSource,
  ScanRequest,
  SourceBatch,
  SourceRecords,
  SourceSequences,
  SourceShape,
} from '../../../ports/monolith-source.ts';
import { AppError } from '../../../src/domain/errors.ts';
import type { SourceTable } from '../../../src/monolith-migration/mapping/index.ts';
import { connectTextClient, redactDsn } from './session.ts';
import { readImageGroups } from './source-image-groups.ts';
import { b2cProductRelated, b2cVariantRelated, c2cListingRelated } from './source-related.ts';
import { REQUIRED_TABLES, SOURCE_TABLES, type SourceTableSql } from './source-tables.ts';

/** The monolith on PostgreSQL: one connection, one `REPEATABLE READ, READ ONLY` transaction per run (§4.2). */
export class PgMonolithSource implements MonolithSource {
  readonly #dsn: string;

  constructor(dsn: string) {
    this.#dsn = dsn;
  }

  async openSnapshot(options: { readonly sourceZone: string }): Promise<MonolithSnapshot> {
    const { client, serverZone } = await connectTextClient(this.#dsn, 'listings migrate-from-monolith (source)');
    try {
      await checkZone(client, options.sourceZone);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const shape = await detectShape(client);
      const time = await client.query<{ t: string }>(
        `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`,
      );
      return new PgSnapshot(client, {
        serverZone,
        shape,
        snapshotTime: time.rows[0]?.t ?? '',
        location: redactDsn(this.#dsn),
        sourceZone: options.sourceZone,
      });
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }
}

async function checkZone(client: pg.ClientBase, zone: string): Promise<void> {
  try {
    await client.query('SELECT now() AT TIME ZONE $1', [zone]);
  } catch (error) {
    throw new AppError('USAGE_INVALID', `--source-zone "${zone}" is not a time zone the source server knows`, {
      cause: error,
    });
  }
}

async function detectShape(client: pg.ClientBase): Promise<SourceShape> {
  const tables = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
  );
  const present = new Set(tables.rows.map((row) => row.table_name));
  const missing = REQUIRED_TABLES.filter((table) => !present.has(table));
  if (missing.length > 0) {
    throw new AppError('PRECONDITION_FAILED', `source shape unknown: no table ${missing.join(', ')} in the source`);
  }
  const columns = await client.query<{ table_name: string; column_name: string; width: number | null }>(
    `SELECT table_name, column_name, character_maximum_length AS width FROM information_schema.columns
     WHERE table_schema = current_schema()
       AND ((table_name = 'c2c_images' AND column_name = 'display_order')
         OR (table_name = 'b2c_stores' AND column_name = 'country'))`,
  );
  const imagesDisplayOrder = columns.rows.some((row) => row.table_name === 'c2c_images');
  const storeCountryWidth = Number(columns.rows.find((row) => row.table_name === 'b2c_stores')?.width ?? 2);
  return {
    name: imagesDisplayOrder && storeCountryWidth > 2 ? '2025-11-10' : '2025-11-01',
    imagesDisplayOrder,
    storeCountryWidth,
    hasGeo: present.has('unified_geo'),
    hasAttributeValues: present.has('unified_attribute_values') && present.has('unified_attributes'),
    hasTranslations: present.has('translations'),
  };
}

/** The keyset order, on the table's own columns (never an output column of the same name). */
function orderBy(sql: SourceTableSql): string {
  return sql.key === 'id' ? `${sql.table}.id` : `${sql.table}.${sql.key.user}, ${sql.table}.${sql.key.listing}`;
}

interface SnapshotFacts {
  readonly serverZone: string;
  readonly shape: SourceShape;
  readonly snapshotTime: string;
  readonly location: string;
  readonly sourceZone: string;
}

class PgSnapshot implements MonolithSnapshot {
  readonly serverZone: string;
  readonly shape: SourceShape;
  readonly snapshotTime: string;
  readonly location: string;
  readonly #client: pg.Client;
  readonly #zone: string;

  constructor(client: pg.Client, facts: SnapshotFacts) {
    this.#client = client;
    this.serverZone = facts.serverZone;
    this.shape = facts.shape;
    this.snapshotTime = facts.snapshotTime;
    this.location = facts.location;
    this.#zone = facts.sourceZone;
  }

  has(table: SourceTable): boolean {
    if (table === 'unified_geo') return this.shape.hasGeo;
    if (table === 'unified_attribute_values') return this.shape.hasAttributeValues;
    if (table === 'translations') return this.shape.hasTranslations;
    return true;
  }

  async count(table: SourceTable, since: string | null): Promise<number> {
    if (!this.has(table)) return 0;
    const { where, params } = this.#filter(SOURCE_TABLES[table], null, since);
    const result = await this.#client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${SOURCE_TABLES[table].table} ${where}`,
      params,
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  async read<T extends SourceTable>(table: T, request: ScanRequest): Promise<SourceBatch<SourceRecords[T]>> {
    if (!this.has(table)) return { records: [], next: null };
    if (table === 'c2c_images' || table === 'b2c_product_images') {
      const columns =
        table === 'c2c_images'
          ? `${SOURCE_TABLES.c2c_images.columns}, ${this.shape.imagesDisplayOrder ? 'display_order' : 'NULL::int AS display_order'}`
          : SOURCE_TABLES.b2c_product_images.columns;
      const parent = table === 'c2c_images' ? 'listing_id' : 'storefront_product_id';
      const batch = await readImageGroups(this.#client, SOURCE_TABLES[table].table, columns, parent, request);
      return batch as unknown as SourceBatch<SourceRecords[T]>;
    }
    const sql = SOURCE_TABLES[table];
    const { where, params } = this.#filter(sql, request.after, request.since);
    // Qualified: a bare `ORDER BY id` would sort by an output column of that name (unified_geo reads `id::text`).
    const order = orderBy(sql);
    params.push(request.limit);
    const result = await this.#client.query<Record<string, unknown>>(
      `SELECT ${sql.columns} FROM ${sql.table} ${where} ORDER BY ${order} LIMIT $${params.length}`,
      params,
    );
    const rows = result.rows;
    const last = rows.at(-1);
    const next =
      rows.length < request.limit || last === undefined
        ? null
        : sql.key === 'id'
          ? String(last.id)
          : `${last[sql.key.user]}:${last[sql.key.listing]}`;
    const ids = rows.map((row) => Number(row.id));
    let records: unknown[] = rows;
    if (table === 'c2c_listings') {
      const related = await c2cListingRelated(this.#client, this.shape, ids);
      records = rows.map((row) => ({ row, related: related.get(Number(row.id)) }));
    } else if (table === 'b2c_products') {
      const related = await b2cProductRelated(this.#client, ids);
      records = rows.map((row) => ({ row, related: related.get(Number(row.id)) }));
    } else if (table === 'b2c_product_variants') {
      const related = await b2cVariantRelated(this.#client, this.shape, ids);
      records = rows.map((row) => ({ row, ...related.get(Number(row.id)) }));
    }
    return { records: records as SourceRecords[T][], next };
  }

  async *keys(table: SourceTable, batchSize: number): AsyncIterable<readonly string[]> {
    if (!this.has(table)) return;
    const sql = SOURCE_TABLES[table];
    const select =
      sql.key === 'id'
        ? 'id::text AS k, id AS a, 0 AS b'
        : `${sql.key.user}::text || ':' || ${sql.key.listing}::text AS k, ${sql.key.user} AS a, ${sql.key.listing} AS b`;
    const order = orderBy(sql);
    let after: string | null = null;
    for (;;) {
      const { where, params } = this.#filter(sql, after, null);
      params.push(batchSize);
      const result = await this.#client.query<{ k: string }>(
        `SELECT ${select} FROM ${sql.table} ${where} ORDER BY ${order} LIMIT $${params.length}`,
        params,
      );
      if (result.rows.length > 0) yield result.rows.map((row) => row.k);
      if (result.rows.length < batchSize) return;
      after = result.rows.at(-1)?.k ?? null;
    }
  }

  async maxId(table: SourceTable): Promise<number | null> {
    const sql = SOURCE_TABLES[table];
    if (!this.has(table) || sql.key !== 'id') return null;
    const result = await this.#client.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM ${sql.table}`);
    const id = result.rows[0]?.id;
    return id === null || id === undefined ? null : Number(id);
  }

  async attributeCodes(): Promise<ReadonlyMap<number, string>> {
    if (!this.shape.hasAttributeValues) return new Map();
    const result = await this.#client.query<{ id: number; code: string }>('SELECT id, code FROM unified_attributes');
    return new Map(result.rows.map((row) => [row.id, row.code]));
  }

  async sequences(names: readonly string[]): Promise<SourceSequences> {
    const values: Record<string, SourceSequences[string]> = {};
    const present = await this.#client.query<{ name: string }>(
      `SELECT sequence_name AS name FROM information_schema.sequences
       WHERE sequence_schema = current_schema() AND sequence_name = ANY($1::text[])`,
      [names],
    );
    for (const name of names) {
      if (!present.rows.some((row) => row.name === name)) {
        values[name] = null;
        continue;
      }
      const result = await this.#client.query<{ last_value: string; is_called: boolean }>(
        `SELECT last_value::text AS last_value, is_called FROM ${name}`,
      );
      const row = result.rows[0];
      values[name] = row === undefined ? null : { lastValue: row.last_value, isCalled: row.is_called };
    }
    return values;
  }

  async close(): Promise<void> {
    await this.#client.query('COMMIT').catch(() => undefined);
    await this.#client.end().catch(() => undefined);
  }

  /** WHERE clause of scope, keyset position and --since; `params` grows as placeholders are used. */
  #filter(sql: SourceTableSql, after: string | null, since: string | null): { where: string; params: unknown[] } {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (sql.scope !== undefined) conditions.push(sql.scope);
    if (after !== null) {
      if (sql.key === 'id') {
        params.push(after);
        conditions.push(`${sql.table}.id > $${params.length}::bigint`);
      } else {
        const [user, listing] = after.split(':');
        params.push(user, listing);
        conditions.push(`(${sql.key.user}, ${sql.key.listing}) > ($${params.length - 1}::int, $${params.length}::int)`);
      }
    }
    if (since !== null && sql.since !== undefined) {
      params.push(since);
      const at = `$${params.length}::timestamptz`;
      let bound = at;
      if (sql.since.naive) {
        params.push(this.#zone);
        bound = `(${at} AT TIME ZONE $${params.length})`;
      }
      conditions.push(`(${sql.since.columns.map((column) => `${column} >= ${bound}`).join(' OR ')})`);
    }
    return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
  }
}
