import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

export interface CopyTiming {
  readonly table: string;
  readonly rows: number;
  readonly bytes: number;
  readonly ms: number;
}

/** Tables the timed tables reference (foreign keys): loaded first, untimed. */
const REFERENCED = ['c2c_categories', 'storefronts'] as const;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('SET synchronous_commit = off');
  return client;
}

async function copyTable(from: pg.Client, to: pg.Client, table: string): Promise<void> {
  await pipeline(from.query(copyTo(`COPY ${table} TO STDOUT`)), to.query(copyFrom(`COPY ${table} FROM STDIN`)));
}

/**
 * The baseline of the migration benchmark: a raw `COPY FROM STDIN` of the rows the migration wrote, into empty
 * tables of an identical schema (every index, constraint, foreign key and trigger) on the same server. The rows are
 * first exported from the migrated target to files (`COPY (SELECT * ... ORDER BY id) TO STDOUT`, untimed), so the
 * timed part is only the server taking the COPY stream, one table after the other, each in its own transaction.
 * Only the side-row copy's triggers are deferred (and never refreshed): see below.
 */
export async function copyBaseline(
  migratedUrl: string,
  emptyUrl: string,
  tables: readonly string[],
): Promise<CopyTiming[]> {
  const folder = await mkdtemp(join(tmpdir(), 'monolith-bench-'));
  const source = await connect(migratedUrl);
  const target = await connect(emptyUrl);
  try {
    // Referenced rows as they are, foreign-key triggers off (superuser session setting) so order does not matter.
    await target.query(`SET session_replication_role = replica`);
    for (const table of REFERENCED) await copyTable(source, target, table);
    await target.query(`SET session_replication_role = DEFAULT`);

    const files = new Map<string, string>();
    for (const table of tables) {
      const file = join(folder, `${table}.copy`);
      await pipeline(
        source.query(copyTo(`COPY (SELECT * FROM ${table} ORDER BY id) TO STDOUT`)),
        createWriteStream(file),
      );
      files.set(table, file);
    }
    // The side-row copy (migration 20261126030000) is left to the migration: the baseline loads only these tables'
    // rows, without the triggers' refresh (which the migration pays once per batch), so the comparison favours it.
    await target.query(`SET listings.side_rows_refresh = 'deferred'`);
    await target.query('CHECKPOINT');
    const timings: CopyTiming[] = [];
    for (const table of tables) {
      const file = files.get(table) as string;
      const started = performance.now();
      const stream = target.query(copyFrom(`COPY ${table} FROM STDIN`));
      await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), stream);
      const ms = performance.now() - started;
      timings.push({ table, rows: Number(stream.rowCount), bytes: (await stat(file)).size, ms });
    }
    return timings;
  } finally {
    await source.end().catch(() => undefined);
    await target.end().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
  }
}
