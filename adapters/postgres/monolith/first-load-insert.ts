import type pg from 'pg';
import type { StagedUpsert, TargetTableSpec, UpsertOutcome } from './staged-upsert.ts';

type Row = Readonly<Record<string, unknown>>;

/** How many table writes of a first load each path took, since the connection opened. */
export interface FirstLoadPaths {
  /** The rows were copied straight into the table. */
  direct: number;
  /** The direct COPY failed on a constraint and the staged upsert wrote the rows instead. */
  staged: number;
}

const SAVEPOINT = 'monolith_first_load';

/**
 * SQLSTATE class 23 (integrity constraint violation): a key the table already holds, or a row the staged upsert
 * would also refuse (it then fails with the same error). Anything else is not a conflict and is thrown as is.
 */
function isConstraintViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('23');
}

/** The distinct listing ids of rows that were all inserted, as the staged upsert reports them. */
function listingIdsOf(spec: TargetTableSpec, rows: readonly Row[]): number[] {
  const column = spec.listingColumn;
  if (column === undefined) return [];
  const ids = new Set<number>();
  for (const row of rows) {
    const id = row[column];
    if (id !== null && id !== undefined) ids.add(Number(id));
  }
  return [...ids];
}

/**
 * A first load's table write (§4.3 step 3 on a table whose bookkeeping held nothing of the scan's source table):
 * no id_map entry exists and the taken-id check turned away target rows the migration did not write, so the upsert
 * could only insert. The rows are therefore copied straight into the table inside a savepoint, which spares the
 * server the staging table and the speculative insertion of `ON CONFLICT` for every row; the outcome is then
 * "every row inserted". Should the COPY fail on a constraint (a key some other writer or another source table put
 * there, a uuid or slug that exists), the savepoint is rolled back and the staged upsert writes the same rows, so
 * the result is the upsert's either way. Row triggers and the statement triggers with transition tables fire for
 * COPY as for INSERT (the target has no rules, which COPY would bypass). Runs inside the caller's transaction.
 */
export class FirstLoadInsert {
  readonly #client: pg.ClientBase;
  readonly #upsert: StagedUpsert;
  readonly paths: FirstLoadPaths = { direct: 0, staged: 0 };

  constructor(client: pg.ClientBase, upsert: StagedUpsert) {
    this.#client = client;
    this.#upsert = upsert;
  }

  /** `encoded` as for StagedUpsert.upsert. */
  async write(spec: TargetTableSpec, rows: readonly Row[], encoded?: readonly Buffer[]): Promise<UpsertOutcome> {
    if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0, listingIds: [] };
    await this.#client.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      await this.#upsert.copyIntoTable(spec, rows, encoded);
    } catch (error) {
      if (!isConstraintViolation(error)) throw error;
      await this.#client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`);
      this.paths.staged++;
      return this.#upsert.upsert(spec, rows, encoded);
    }
    await this.#client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    this.paths.direct++;
    return { inserted: rows.length, updated: 0, unchanged: 0, listingIds: listingIdsOf(spec, rows) };
  }
}
