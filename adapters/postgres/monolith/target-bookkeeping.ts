import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BatchWrite, IdMapWrite } from '../../../ports/monolith-target.ts';
import { COPY_CHUNK, copyField, groupedBuffers } from './copy-text.ts';

const ID_MAP_COLUMNS = ['source_key', 'target_table', 'target_id', 'source_hash', 'extras'] as const;
const APPENDED_COLUMNS = ['source_table', ...ID_MAP_COLUMNS, 'first_run_id', 'last_run_id'] as const;

/** An id_map entry's ID_MAP_COLUMNS as COPY text fields (no line end): the part that differs from row to row. */
export function idMapFields(entry: IdMapWrite): string {
  return `${copyField(entry.sourceKey)}\t${copyField(entry.targetTable)}\t${copyField(entry.targetId)}\t${copyField(entry.hash)}\t${copyField(entry.extras)}`;
}

/**
 * The batch's id_map rows as COPY text: ID_MAP_COLUMNS, with `appended` also source_table before and the run ids
 * after them (the same for every row of the batch, so escaped once).
 */
async function copyIdMap(client: pg.ClientBase, sql: string, batch: BatchWrite, appended: boolean) {
  const stream = client.query(copyFrom(sql));
  const head = appended ? `${copyField(batch.sourceTable)}\t` : '';
  const run = copyField(batch.runId);
  const tail = appended ? `\t${run}\t${run}\n` : '\n';
  function* lines() {
    let chunk = '';
    for (const entry of batch.idMap) {
      chunk += `${head}${idMapFields(entry)}${tail}`;
      if (chunk.length >= COPY_CHUNK) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length > 0) yield chunk;
  }
  // Entries encoded ahead (MonolithTarget.encodeIdMapEntry) carry the UTF-8 of their idMapFields.
  function* encodedLines() {
    const before = Buffer.from(head);
    const after = Buffer.from(tail);
    for (const entry of batch.idMap) {
      yield before;
      yield (entry.encoded as unknown as Buffer | undefined) ?? Buffer.from(idMapFields(entry));
      yield after;
    }
  }
  const ahead = batch.idMap[0]?.encoded !== undefined;
  await pipeline(Readable.from(ahead ? groupedBuffers(encodedLines()) : lines()), stream);
}

/**
 * id_map rows of a batch go through COPY into a session staging table, then one upsert: binding five 10,000-element
 * text arrays (hashes, extras JSON) cost more than the upsert itself. On a first load no key can be there yet, so
 * the rows are copied straight into id_map (the same rows the upsert would insert, without the staging round).
 */
async function upsertIdMap(client: pg.ClientBase, batch: BatchWrite): Promise<void> {
  if (batch.firstLoad) {
    await copyIdMap(client, `COPY monolith_migration.id_map (${APPENDED_COLUMNS.join(', ')}) FROM STDIN`, batch, true);
    return;
  }
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS monolith_stage_id_map
       (source_key text, target_table text, target_id text, source_hash text, extras text) ON COMMIT DELETE ROWS`,
  );
  await copyIdMap(client, `COPY pg_temp.monolith_stage_id_map (${ID_MAP_COLUMNS.join(', ')}) FROM STDIN`, batch, false);
  await client.query(
    `INSERT INTO monolith_migration.id_map
       (source_table, source_key, target_table, target_id, source_hash, extras, first_run_id, last_run_id)
     SELECT $1, source_key, target_table, target_id, source_hash, extras::jsonb, $2, $2
     FROM pg_temp.monolith_stage_id_map
     ON CONFLICT (source_table, source_key) DO UPDATE SET
       target_table = EXCLUDED.target_table, target_id = EXCLUDED.target_id, source_hash = EXCLUDED.source_hash,
       extras = EXCLUDED.extras, last_run_id = EXCLUDED.last_run_id, deleted_at = NULL`,
    [batch.sourceTable, batch.runId],
  );
}

/**
 * The bookkeeping half of a batch (§4.3 step 4), in the batch's transaction: id_map upserts, rejects written or
 * cleared, and the run's checkpoint advanced. Rejects keep their first run unless their content changes, so a
 * rerun over an unchanged source rewrites none of them.
 */
export async function writeBookkeeping(client: pg.ClientBase, batch: BatchWrite): Promise<void> {
  const { runId, sourceTable } = batch;
  if (batch.idMap.length > 0) await upsertIdMap(client, batch);
  if (batch.migratedKeys.length > 0 && !batch.firstLoad) {
    await client.query(
      'DELETE FROM monolith_migration.rejects WHERE source_table = $1 AND source_key = ANY($2::text[])',
      [sourceTable, batch.migratedKeys],
    );
  }
  if (batch.rejects.length > 0) {
    await client.query(
      `INSERT INTO monolith_migration.rejects (source_table, source_key, code, detail, source_row, run_id)
       SELECT $1, u.key, u.code, u.detail, u.source_row::jsonb, $2
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS u(key, code, detail, source_row)
       ON CONFLICT (source_table, source_key) DO UPDATE SET
         code = EXCLUDED.code, detail = EXCLUDED.detail, source_row = EXCLUDED.source_row, run_id = EXCLUDED.run_id
       WHERE (rejects.code, rejects.detail, rejects.source_row)
             IS DISTINCT FROM (EXCLUDED.code, EXCLUDED.detail, EXCLUDED.source_row)`,
      [
        sourceTable,
        runId,
        batch.rejects.map((r) => r.sourceKey),
        batch.rejects.map((r) => r.code),
        batch.rejects.map((r) => r.detail),
        batch.rejects.map((r) => r.sourceRow),
      ],
    );
  }
  const { checkpoint } = batch;
  await client.query(
    `INSERT INTO monolith_migration.checkpoints
       (run_id, source_table, last_key, rows_read, rows_written, rows_rejected, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (run_id, source_table) DO UPDATE SET
       last_key = EXCLUDED.last_key, rows_read = EXCLUDED.rows_read, rows_written = EXCLUDED.rows_written,
       rows_rejected = EXCLUDED.rows_rejected, updated_at = now()`,
    [runId, sourceTable, checkpoint.lastKey, checkpoint.rowsRead, checkpoint.rowsWritten, checkpoint.rowsRejected],
  );
}

/**
 * One outbox entry per listing (§3.13), coalesced with a pending one, in the caller's transaction; the operation is
 * a hint (the worker decides from the row it loads): `delete` for soft-deleted listings, else `index`.
 */
export async function enqueueListings(client: pg.ClientBase, listingIds: readonly number[]): Promise<number> {
  if (listingIds.length === 0) return 0;
  const result = await client.query(
    `INSERT INTO indexing_queue (listing_id, operation, listing_version)
     SELECT id, CASE WHEN is_deleted THEN 'delete' ELSE 'index' END, version
     FROM listings WHERE id = ANY($1::bigint[])
     ON CONFLICT (listing_id) WHERE status = 'pending' DO UPDATE SET
       operation = EXCLUDED.operation,
       listing_version = GREATEST(indexing_queue.listing_version, EXCLUDED.listing_version),
       change_xid = pg_current_xact_id(),
       updated_at = now()`,
    [listingIds],
  );
  return result.rowCount ?? 0;
}
