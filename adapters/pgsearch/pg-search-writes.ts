/**
 * Versioned writes to a search table with one result per item.
 *
 * A batch goes in one `INSERT … ON CONFLICT (listing_id) DO UPDATE … WHERE stored.version <= excluded.version
 * RETURNING listing_id`: returned ids were written, the others were stale. Documents the table already holds as given
 * (same version, same `document_hash`, not a tombstone) are found first by one small read (ids, versions and hashes
 * only), left out of the INSERT and answered `ok` as if rewritten: building a row's vectors (Russian, Serbian and
 * simple, on three columns) is nearly all of its cost, and PostgreSQL builds them for the INSERT attempt and again for
 * the conflict's UPDATE. Re-sending unchanged documents is common: a reindex backlog enqueues every listing at its
 * current version, and a retry after OpenSearch failed re-sends both sides. (The comparison used to be made by the
 * INSERT statement itself, on the documents parsed into `jsonb`: the whole batch travelled and was parsed to find
 * that nothing had to be written.) Documents PostgreSQL would refuse are caught before (pg-search-rows.ts); if the
 * statement still fails on data, each item is written on its own so only the bad one is reported `permanent`. An
 * unreachable database makes every item `retryable`.
 */
import type { Knex } from 'knex';
import type { IndexItemResult, IndexRemoval, SearchDocument } from '../../ports/search-index.ts';
import { sourceJsons } from '../../src/search/search-document-source.ts';
import { sqlStateOf } from '../sql/error-translation.ts';
import { DOCUMENT_COLUMNS, documentHash, documentProblem, documentRow, removalProblem } from './pg-search-rows.ts';

/** Rows per statement: 20 bindings each stays far below PostgreSQL's 65 535 parameters. */
const BATCH_ROWS = 500;

/** The type of each document column, written into the statement's placeholders. */
const COLUMN_TYPES: Readonly<Record<(typeof DOCUMENT_COLUMNS)[number], string>> = {
  listing_id: 'bigint',
  version: 'bigint',
  removed: 'boolean',
  title: 'text',
  description: 'text',
  keywords: 'text',
  price: 'bigint',
  currency: 'varchar',
  category_id: 'bigint',
  status: 'varchar',
  visibility: 'varchar',
  source_type: 'varchar',
  user_id: 'bigint',
  storefront_id: 'bigint',
  attributes: 'jsonb',
  latitude: 'double precision',
  longitude: 'double precision',
  created_at: 'timestamptz',
  document: 'jsonb',
  document_hash: 'text',
};

const TOMBSTONE = [
  'removed = true',
  ...DOCUMENT_COLUMNS.filter((column) => !['listing_id', 'version', 'removed', 'attributes'].includes(column)).map(
    (column) => `${column} = NULL`,
  ),
  `attributes = '{}'::jsonb`,
].join(', ');

interface Item {
  readonly index: number;
  readonly id: number;
  readonly version: number;
  readonly values: readonly unknown[];
}

export function upsertDocuments(
  knex: Knex,
  table: string,
  documents: readonly SearchDocument[],
): Promise<IndexItemResult[]> {
  const columns = DOCUMENT_COLUMNS.join(', ');
  const placeholders = `(${DOCUMENT_COLUMNS.map((column) => `?::${COLUMN_TYPES[column]}`).join(', ')})`;
  const updates = DOCUMENT_COLUMNS.filter((column) => column !== 'listing_id')
    .map((column) => `${column} = excluded.${column}`)
    .join(', ');
  const statement = (rows: number) =>
    `INSERT INTO ${table} (${columns}) VALUES ${Array(rows).fill(placeholders).join(', ')}
     ON CONFLICT (listing_id) DO UPDATE SET ${updates}, indexed_at = now()
     WHERE ${table}.version <= excluded.version RETURNING listing_id`;
  const texts = sourceJsons(documents);
  return writeItems(
    knex,
    documents.map((document, index) => {
      // Serialised once for the check, the hash and the row, and shared with OpenSearch's `_source` when the worker
      // writes both (sourceJsons).
      const json = texts[index] ?? null;
      const problem = documentProblem(document, json);
      const digest = problem === null && json !== null ? documentHash(json) : undefined;
      return {
        index,
        id: document.id,
        version: document.version,
        hash: digest,
        problem,
        // Decoded only for a row that is written: the driver binds text.
        values: () => documentRow(document, (json as Buffer).toString('utf8'), digest),
      };
    }),
    statement,
    (inputs) => heldAlready(knex, table, inputs),
  );
}

/**
 * The ids among `inputs` that `table` holds at the same version with the same document hash (not as a tombstone).
 * None when the read fails: the write that follows then meets the same failure and reports it per item.
 */
async function heldAlready(knex: Knex, table: string, inputs: readonly Input[]): Promise<ReadonlySet<number>> {
  const hashed = inputs.filter((input) => input.hash !== undefined);
  if (hashed.length === 0) return new Set();
  try {
    const result = (await knex.raw(
      `SELECT stored.listing_id FROM unnest(?::bigint[], ?::bigint[], ?::text[]) AS given(listing_id, version, hash)
       JOIN ${table} AS stored ON stored.listing_id = given.listing_id
       WHERE stored.version = given.version AND NOT stored.removed AND stored.document_hash = given.hash`,
      [hashed.map((item) => item.id), hashed.map((item) => item.version), hashed.map((item) => item.hash as string)],
    )) as { rows: { listing_id: number | string }[] };
    return new Set(result.rows.map((row) => Number(row.listing_id)));
  } catch {
    return new Set();
  }
}

export function removeDocuments(knex: Knex, table: string, items: readonly IndexRemoval[]): Promise<IndexItemResult[]> {
  const statement = (rows: number) =>
    `INSERT INTO ${table} (listing_id, version, removed) VALUES ${Array(rows).fill('(?, ?, true)').join(', ')}
     ON CONFLICT (listing_id) DO UPDATE SET version = excluded.version, ${TOMBSTONE}, indexed_at = now()
     WHERE ${table}.version <= excluded.version RETURNING listing_id`;
  return writeItems(
    knex,
    items.map((item, index) => ({
      index,
      id: item.id,
      version: item.version,
      problem: removalProblem(item),
      values: () => [item.id, item.version],
    })),
    statement,
  );
}

interface Input {
  readonly index: number;
  readonly id: number;
  readonly version: number;
  /** The document's `document_hash` (upserts only). */
  readonly hash?: string;
  readonly problem: string | null;
  readonly values: () => readonly unknown[];
}

async function writeItems(
  knex: Knex,
  inputs: readonly Input[],
  statement: (rows: number) => string,
  /** The ids among the inputs that the table already holds as given (answered `ok`, not written). */
  held?: (inputs: readonly Input[]) => Promise<ReadonlySet<number>>,
): Promise<IndexItemResult[]> {
  const results: (IndexItemResult | undefined)[] = inputs.map((input) =>
    input.problem === null ? undefined : { id: input.id, status: 'permanent', reason: input.problem },
  );
  // One row per id and statement (ON CONFLICT cannot touch a row twice): the highest version, the last on a tie.
  const chosen = new Map<number, Input>();
  for (const input of inputs) {
    if (input.problem !== null) continue;
    const previous = chosen.get(input.id);
    if (previous === undefined || input.version >= previous.version) chosen.set(input.id, input);
  }
  const unchanged = held === undefined ? new Set<number>() : await held([...chosen.values()]);
  const items: Item[] = [];
  for (const input of chosen.values()) {
    if (unchanged.has(input.id)) results[input.index] = { id: input.id, status: 'ok' };
    else items.push({ index: input.index, id: input.id, version: input.version, values: input.values() });
  }
  for (let start = 0; start < items.length; start += BATCH_ROWS) {
    const batch = items.slice(start, start + BATCH_ROWS);
    for (const [index, result] of await writeBatch(knex, batch, statement)) results[index] = result;
  }
  return inputs.map((input, index) => {
    const own = results[index];
    if (own !== undefined) return own;
    // A duplicate that lost to a higher (or later) version of the same id within this call.
    const winner = chosen.get(input.id) as Input;
    const outcome = results[winner.index] as IndexItemResult;
    return outcome.status === 'ok' && input.version < winner.version ? { id: input.id, status: 'stale' } : outcome;
  });
}

async function writeBatch(
  knex: Knex,
  batch: readonly Item[],
  statement: (rows: number) => string,
): Promise<Map<number, IndexItemResult>> {
  const results = new Map<number, IndexItemResult>();
  try {
    const written = await run(
      knex,
      statement(batch.length),
      batch.flatMap((item) => item.values),
    );
    for (const item of batch) results.set(item.index, outcome(item, written));
    return results;
  } catch (error) {
    const failure = classify(error);
    if (failure.status === 'retryable' || batch.length === 1) {
      for (const item of batch) results.set(item.index, { id: item.id, ...failure });
      return results;
    }
  }
  // A data error somewhere in the batch: find it by writing each item alone.
  for (const item of batch) {
    try {
      results.set(item.index, outcome(item, await run(knex, statement(1), item.values)));
    } catch (error) {
      results.set(item.index, { id: item.id, ...classify(error) });
    }
  }
  return results;
}

async function run(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<ReadonlySet<number>> {
  try {
    const result = (await knex.raw(sql, bindings as Knex.RawBinding[])) as { rows: { listing_id: number }[] };
    return new Set(result.rows.map((row) => Number(row.listing_id)));
  } catch (error) {
    throw withoutStatement(error, sql);
  }
}

/**
 * knex puts the statement before the database's message (`<sql with $n> - <message>`); a failure's reason (kept on
 * the dead letter, cut to 2000 characters) needs the message, which a long statement would push out.
 */
function withoutStatement(error: unknown, sql: string): unknown {
  if (!(error instanceof Error)) return error;
  let position = 0;
  const prefix = `${sql.replace(/\?/g, () => `$${++position}`)} - `;
  if (error.message.startsWith(prefix)) error.message = error.message.slice(prefix.length);
  return error;
}

function outcome(item: Item, written: ReadonlySet<number>): IndexItemResult {
  return written.has(item.id) ? { id: item.id, status: 'ok' } : { id: item.id, status: 'stale' };
}

/** Data errors (class 22, 23, 54: the document) are permanent; anything else may pass on a later attempt. */
function classify(error: unknown): { status: 'retryable' | 'permanent'; reason: string } {
  const state = sqlStateOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const reason = state === undefined ? message : `${message} (SQLSTATE ${state})`;
  const permanent = state !== undefined && /^(22|23|54)/.test(state);
  return { status: permanent ? 'permanent' : 'retryable', reason };
}
