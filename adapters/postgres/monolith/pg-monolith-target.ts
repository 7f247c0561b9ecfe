import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type {
  BatchOutcome,
  BatchWrite,
  Checkpoint,
  DeleteOutcome,
  DeleteRequest,
  EncodedRow,
  IdMapWrite,
  MonolithTarget,
  NewRun,
  RunRecord,
  RunStatus,
  TableCounts,
  TargetRowValues,
} from '../../../ports/monolith-target.ts';
import { AppError } from '../../../src/domain/errors.ts';
import type {
  SequencedTable,
  SequenceSetting,
  SourceTable,
  TargetTable,
} from '../../../src/monolith-migration/mapping/index.ts';
import { copyField } from './copy-text.ts';
import { connectTextClient, redactDsn } from './session.ts';
import { StagedUpsert } from './staged-upsert.ts';
import { enqueueListings, idMapFields, writeBookkeeping } from './target-bookkeeping.ts';
import { type OwnedEntry, removeOwned } from './target-deletes.ts';
import { TargetLookups } from './target-lookups.ts';
import { sequenceMaxima, setSequences } from './target-sequences.ts';
import { TARGET_TABLES } from './target-tables.ts';

/** The advisory-lock key of migrate-from-monolith runs (fixed, distinct from the schema migrations' key). */
export const MONOLITH_MIGRATION_LOCK_KEY = 0x6c69_7374_0011n;

/** The schema migrations the command needs (bookkeeping tables, the updated_at flag). */
const REQUIRED_MIGRATIONS = [
  '20261125000011_monolith_migration_bookkeeping.ts',
  '20261125000012_updated_at_kept_by_migration_writes.ts',
];

/** Entries removed per transaction by delete detection. */
const DELETE_CHUNK = 5_000;

/** MonolithTarget on one node-postgres connection (COPY needs a real PostgreSQL server, not PGlite). */
export class PgMonolithTarget extends TargetLookups implements MonolithTarget {
  readonly location: string;
  readonly #client: pg.Client;
  readonly #upsert: StagedUpsert;

  private constructor(client: pg.Client, location: string) {
    super(client);
    this.#client = client;
    this.location = location;
    this.#upsert = new StagedUpsert(client);
  }

  static async connect(dsn: string): Promise<PgMonolithTarget> {
    const { client } = await connectTextClient(dsn, 'listings migrate-from-monolith');
    return new PgMonolithTarget(client, redactDsn(dsn));
  }

  async checkSchema(): Promise<void> {
    const result = await this.#client
      .query<{ name: string }>(`SELECT name FROM knex_migrations WHERE name = ANY($1::text[])`, [REQUIRED_MIGRATIONS])
      .catch(() => ({ rows: [] as { name: string }[] }));
    const missing = REQUIRED_MIGRATIONS.filter((name) => !result.rows.some((row) => row.name === name));
    if (missing.length > 0) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `the target schema at ${this.location} lacks ${missing.join(', ')}: run \`listings migrate latest\` first`,
      );
    }
  }

  async tryLock(): Promise<boolean> {
    const result = await this.#client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
      MONOLITH_MIGRATION_LOCK_KEY.toString(),
    ]);
    return result.rows[0]?.locked === true;
  }

  async lastRun(): Promise<RunRecord | null> {
    return this.#run('TRUE');
  }

  async lastCompletedRun(): Promise<RunRecord | null> {
    return this.#run(`status = 'completed' AND mode IN ('full', 'catch-up')`);
  }

  async #run(where: string): Promise<RunRecord | null> {
    const result = await this.#client.query<{
      run_id: string;
      mode: RunRecord['mode'];
      status: RunStatus;
      started_at: string;
      finished_at: string | null;
    }>(`SELECT run_id, mode, status, started_at, finished_at FROM monolith_migration.runs WHERE ${where}
        ORDER BY started_at DESC LIMIT 1`);
    const row = result.rows[0];
    if (row === undefined) return null;
    return {
      runId: row.run_id,
      mode: row.mode,
      status: row.status,
      startedAt: new Date(row.started_at),
      finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    };
  }

  async closeAbandonedRuns(): Promise<Checkpoint[]> {
    // We hold the lock, so a run still marked running has no process any more: it was killed.
    await this.#client.query(
      `UPDATE monolith_migration.runs SET status = 'interrupted', finished_at = now() WHERE status = 'running'`,
    );
    const result = await this.#client.query<{
      run_id: string;
      source_table: SourceTable;
      last_key: string | null;
      rows_read: string;
    }>(
      `SELECT c.run_id, c.source_table, c.last_key, c.rows_read::text AS rows_read
       FROM monolith_migration.checkpoints c
       WHERE c.run_id = (SELECT run_id FROM monolith_migration.runs WHERE mode <> 'verify'
                         ORDER BY started_at DESC LIMIT 1)
         AND (SELECT status FROM monolith_migration.runs r WHERE r.run_id = c.run_id) = 'interrupted'`,
    );
    return result.rows.map((row) => ({
      runId: row.run_id,
      sourceTable: row.source_table,
      lastKey: row.last_key,
      rowsRead: Number(row.rows_read),
    }));
  }

  async startRun(run: NewRun): Promise<void> {
    await this.#client.query(
      `INSERT INTO monolith_migration.runs
         (run_id, mode, status, source_zone, source_server_zone, source_shape, options, tool_version)
       VALUES ($1, $2, 'running', $3, $4, $5, $6::jsonb, $7)`,
      [
        run.runId,
        run.mode,
        run.sourceZone,
        run.sourceServerZone,
        run.sourceShape,
        JSON.stringify(run.options),
        run.toolVersion,
      ],
    );
  }

  async finishRun(runId: string, status: RunStatus, counts: unknown): Promise<void> {
    await this.#client.query(
      `UPDATE monolith_migration.runs SET status = $2, finished_at = now(), counts = $3::jsonb WHERE run_id = $1`,
      [runId, status, JSON.stringify(counts)],
    );
  }

  /** The row's COPY text line for its staging table, UTF-8 (StagedUpsert.encode). */
  encodeRow(table: TargetTable, row: TargetRowValues): EncodedRow {
    return this.#upsert.encode(TARGET_TABLES[table], row) as unknown as EncodedRow;
  }

  /** The entry's COPY text fields for id_map, UTF-8 (idMapFields). */
  encodeIdMapEntry(entry: IdMapWrite): EncodedRow {
    return Buffer.from(idMapFields(entry)) as unknown as EncodedRow;
  }

  async writeBatch(batch: BatchWrite): Promise<BatchOutcome> {
    return this.#transaction(async () => {
      const changed = new Set<number>();
      if (batch.withdrawnKeys.length > 0) {
        const owned = await this.#ownedEntries(batch.sourceTable, batch.withdrawnKeys);
        for (const id of await removeOwned(this.#client, batch.runId, batch.sourceTable, batch.deleteRule, owned)) {
          changed.add(id);
        }
      }
      const byTable: Partial<Record<TargetTable, TableCounts>> = {};
      for (const write of batch.writes) {
        const outcome = await this.#upsert.upsert(
          TARGET_TABLES[write.table],
          write.rows,
          write.encoded as unknown as readonly Buffer[] | undefined,
        );
        const before = byTable[write.table];
        byTable[write.table] = {
          inserted: (before?.inserted ?? 0) + outcome.inserted,
          updated: (before?.updated ?? 0) + outcome.updated,
          unchanged: (before?.unchanged ?? 0) + outcome.unchanged,
        };
        for (const id of outcome.listingIds) changed.add(id);
      }
      for (const removal of batch.removals) {
        if (removal.listingIds.length === 0) continue;
        const result = await this.#client.query<{ listing_id: string }>(
          `DELETE FROM ${removal.table} WHERE listing_id = ANY($1::bigint[])
           ${removal.attributeKey === undefined ? '' : 'AND attribute_key = $2'} RETURNING listing_id::text AS listing_id`,
          removal.attributeKey === undefined ? [removal.listingIds] : [removal.listingIds, removal.attributeKey],
        );
        for (const row of result.rows) changed.add(Number(row.listing_id));
      }
      await writeBookkeeping(this.#client, batch);
      const enqueued = batch.enqueue ? await enqueueListings(this.#client, [...changed]) : 0;
      return { byTable, enqueued };
    });
  }

  async detectDeletes(request: DeleteRequest, sourceKeys: AsyncIterable<readonly string[]>): Promise<DeleteOutcome> {
    await this.#client.query('CREATE TEMP TABLE IF NOT EXISTS monolith_source_keys (source_key text)');
    await this.#client.query('TRUNCATE pg_temp.monolith_source_keys');
    const stream = this.#client.query(copyFrom('COPY pg_temp.monolith_source_keys (source_key) FROM STDIN'));
    async function* lines() {
      for await (const keys of sourceKeys) yield keys.map((key) => `${copyField(key)}\n`).join('');
    }
    await pipeline(Readable.from(lines()), stream);
    await this.#client.query('ANALYZE pg_temp.monolith_source_keys');
    const gone = await this.#client.query<OwnedEntry>(
      `SELECT m.source_key, m.target_table, m.target_id FROM monolith_migration.id_map m
       WHERE m.source_table = $1 AND m.deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM pg_temp.monolith_source_keys k WHERE k.source_key = m.source_key)`,
      [request.sourceTable],
    );
    if (!request.apply) return { deleted: gone.rows.length, enqueued: 0 };
    // A rejected row deleted at the source leaves nothing to reconcile: its reject entry goes too.
    await this.#client.query(
      `DELETE FROM monolith_migration.rejects r WHERE r.source_table = $1
         AND NOT EXISTS (SELECT 1 FROM pg_temp.monolith_source_keys k WHERE k.source_key = r.source_key)`,
      [request.sourceTable],
    );
    let enqueued = 0;
    for (let start = 0; start < gone.rows.length; start += DELETE_CHUNK) {
      const chunk = gone.rows.slice(start, start + DELETE_CHUNK);
      enqueued += await this.#transaction(async () => {
        const changed = await removeOwned(this.#client, request.runId, request.sourceTable, request.rule, chunk);
        return request.enqueue ? enqueueListings(this.#client, changed) : 0;
      });
    }
    await this.#client.query('TRUNCATE pg_temp.monolith_source_keys');
    return { deleted: gone.rows.length, enqueued };
  }

  sequenceMaxima(): Promise<Record<SequencedTable, string>> {
    return sequenceMaxima(this.#client);
  }

  setSequences(settings: readonly SequenceSetting[]): Promise<void> {
    return this.#transaction(() => setSequences(this.#client, settings));
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }

  async #ownedEntries(sourceTable: SourceTable, keys: readonly string[]): Promise<OwnedEntry[]> {
    const result = await this.#client.query<OwnedEntry>(
      `SELECT source_key, target_table, target_id FROM monolith_migration.id_map
       WHERE source_table = $1 AND source_key = ANY($2::text[]) AND deleted_at IS NULL`,
      [sourceTable, keys],
    );
    return result.rows;
  }

  /**
   * One transaction with the migration's session flags: updated_at kept as written, asynchronous commit (§4.3).
   * BEGIN and the flags go in one round trip (a simple query's BEGIN opens a block that outlives the query).
   */
  async #transaction<T>(work: () => Promise<T>): Promise<T> {
    try {
      await this.#client.query("BEGIN; SET LOCAL synchronous_commit = off; SET LOCAL listings.keep_updated_at = 'on'");
      const result = await work();
      await this.#client.query('COMMIT');
      return result;
    } catch (error) {
      await this.#client.query('ROLLBACK').catch(() => undefined);
      this.#upsert.forget();
      throw error;
    }
  }
}
