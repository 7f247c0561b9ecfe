import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COPY_CHUNK, type CopyValue, copyField, groupedBuffers } from './copy-text.ts';

/** How one target table is upserted: its conflict key, and the columns its own triggers own. */
export interface TargetTableSpec {
  readonly table: string;
  /** The unique key rows are matched on (`ON CONFLICT (...)`). */
  readonly key: readonly string[];
  /** The column naming the listing a row belongs to (outbox entries); undefined for tables outside listings. */
  readonly listingColumn?: string;
  /**
   * Columns a target trigger derives (stock_status from quantity): written on insert, but neither compared nor
   * set on update, so a trigger that disagrees with the mapping can never make a rerun rewrite the row.
   */
  readonly derived?: readonly string[];
}

export interface UpsertOutcome {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Listings whose row or child row was inserted or updated. */
  readonly listingIds: readonly number[];
}

type Row = Readonly<Record<string, unknown>>;

/** A value of a mapped row in COPY text: numbers and booleans as PostgreSQL reads them, text as is. */
function copyValue(value: unknown): CopyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

/** One COPY text line (with its newline) of `row`'s values in `columns` order; a missing column is NULL. */
function copyRow(row: Row, columns: readonly string[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += '\t';
    line += copyField(copyValue(row[columns[i] as string]));
  }
  return `${line}\n`;
}

/** The rows' COPY text made as the stream asks for it, in chunks of about COPY_CHUNK characters. */
function* encodedNow(rows: readonly Row[], columns: readonly string[]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += copyRow(row, columns);
    if (chunk.length >= COPY_CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

const sameColumns = (a: readonly string[] | undefined, b: readonly string[]) =>
  a !== undefined && a.length === b.length && a.every((column, i) => column === b[i]);

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * `COPY` of mapped rows into a temporary staging table (created on first use in this session, emptied at commit),
 * then one `INSERT … SELECT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM …`: only rows that differ are
 * rewritten, so a rerun over an unchanged source changes nothing, not even `updated_at` or `version`.
 * Runs inside the caller's transaction.
 */
export class StagedUpsert {
  readonly #client: pg.ClientBase;
  readonly #staged = new Set<string>();
  /** Per table, the columns {@link encode} lays rows out in: the keys of the first row it encoded for the table. */
  readonly #encodedColumns = new Map<string, readonly string[]>();

  constructor(client: pg.ClientBase) {
    this.#client = client;
  }

  /** After a rollback: staging tables created in that transaction are gone. */
  forget(): void {
    this.#staged.clear();
  }

  /**
   * `row` as the COPY text line {@link upsert} would send for it, made ahead of the write. The columns are fixed per
   * table by the first row encoded; a batch whose first row has other keys is encoded again at the write.
   */
  encode(spec: TargetTableSpec, row: Row): Buffer {
    let columns = this.#encodedColumns.get(spec.table);
    if (columns === undefined) {
      columns = Object.keys(row);
      this.#encodedColumns.set(spec.table, columns);
    }
    return Buffer.from(copyRow(row, columns));
  }

  /** `encoded`, when given, holds {@link encode} of each row (same order). */
  async upsert(spec: TargetTableSpec, rows: readonly Row[], encoded?: readonly Buffer[]): Promise<UpsertOutcome> {
    const first = rows[0];
    if (first === undefined) return { inserted: 0, updated: 0, unchanged: 0, listingIds: [] };
    // Every row is laid out in the first row's columns (a missing one is NULL), whether encoded now or ahead.
    const columns = Object.keys(first);
    const stage = await this.#stage(spec, columns);
    const ahead =
      encoded !== undefined &&
      encoded.length === rows.length &&
      sameColumns(this.#encodedColumns.get(spec.table), columns)
        ? encoded
        : null;
    await this.#copy(stage, columns, ahead === null ? encodedNow(rows, columns) : groupedBuffers(ahead));
    const derived = new Set(spec.derived ?? []);
    const compared = columns.filter((c) => !spec.key.includes(c) && !derived.has(c));
    const listing = spec.listingColumn;
    // Counted in the server: a batch's upsert answers one row, not one per row written (RETURNING row by row
    // cost the server its output and this process the parsing, a few per cent of an image batch's CPU).
    const sql = `
      WITH written AS (
      INSERT INTO ${quote(spec.table)} AS t (${columns.map(quote).join(', ')})
      SELECT ${columns.map(quote).join(', ')} FROM ${stage}
      ON CONFLICT (${spec.key.map(quote).join(', ')}) DO ${
        compared.length === 0
          ? 'NOTHING'
          : `UPDATE SET ${compared.map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(', ')}
        WHERE (${compared.map((c) => `t.${quote(c)}`).join(', ')}) IS DISTINCT FROM (${compared
          .map((c) => `EXCLUDED.${quote(c)}`)
          .join(', ')})`
      }
      RETURNING (xmax = 0) AS inserted${listing === undefined ? '' : `, t.${quote(listing)} AS listing_id`})
      SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS written,
             ${listing === undefined ? "''" : "coalesce(string_agg(DISTINCT listing_id::text, ','), '')"} AS listing_ids
      FROM written`;
    const result = await this.#client.query<{ inserted: number; written: number; listing_ids: string }>(sql);
    const counts = result.rows[0];
    const inserted = Number(counts?.inserted ?? 0);
    const updated = Number(counts?.written ?? 0) - inserted;
    const listingIds = counts?.listing_ids ? counts.listing_ids.split(',').map(Number) : [];
    return { inserted, updated, unchanged: rows.length - inserted - updated, listingIds };
  }

  /** A session temp table with the target's column types (no constraints), emptied at every commit. */
  async #stage(spec: TargetTableSpec, columns: readonly string[]): Promise<string> {
    const name = `monolith_stage_${spec.table}`;
    const signature = `${name}(${columns.join(',')})`;
    if (!this.#staged.has(signature)) {
      await this.#client.query(`DROP TABLE IF EXISTS pg_temp.${quote(name)}`);
      await this.#client.query(
        `CREATE TEMP TABLE ${quote(name)} ON COMMIT DELETE ROWS AS
         SELECT ${columns.map(quote).join(', ')} FROM ${quote(spec.table)} WITH NO DATA`,
      );
      for (const known of this.#staged) if (known.startsWith(`${name}(`)) this.#staged.delete(known);
      this.#staged.add(signature);
    }
    return `pg_temp.${quote(name)}`;
  }

  async #copy(stage: string, columns: readonly string[], chunks: Iterable<string | Buffer>): Promise<void> {
    const stream = this.#client.query(copyFrom(`COPY ${stage} (${columns.map(quote).join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(chunks), stream);
  }
}
