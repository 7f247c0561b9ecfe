import type { ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import pg from 'pg';
import type {
  ArchiveContents,
  DatabaseDump,
  DatabaseInspection,
  DumpArchive,
  DumpOptions,
  DumpReport,
  DumpSource,
  RestoreOptions,
} from '../../ports/database-dump.ts';
import { AppError } from '../../src/domain/errors.ts';
import { inspectDatabase, listTables, type QueryRows, referencedObjectKeys } from './backup-inspection.ts';
import { listArchive, restoreArchive, withScratchDatabase } from './backup-pg-restore.ts';
import { exitOf, findPgTool, libpqConnection, majorOf, spawnTool, stderrTail } from './backup-pg-tools.ts';

export interface PostgresDumpSettings {
  /** The database to back up (or the server that hosts scratch databases for verify). */
  readonly url: string;
  /** Where pg_dump/pg_restore live; default: /usr/lib/postgresql/<N>/bin, newest first, then PATH. */
  readonly binDir?: string;
  /** Local folder for directory-format staging (pg_dump -Fd writes files, pg_restore -Fd reads them). */
  readonly stagingDir?: string;
}

/** Session advisory lock held for the whole dump: one backup of a database at a time ('listback'). */
const BACKUP_LOCK_KEY = 0x6c6973746261636bn;

/**
 * {@link DatabaseDump} on PostgreSQL with the server's own tools. The dump runs in a snapshot exported by a
 * REPEATABLE READ, READ ONLY session (`pg_export_snapshot`, passed to `pg_dump --snapshot`), which also counts
 * every table's rows and holds ACCESS SHARE locks on them, so no table is dropped or rewritten between the counts
 * and the dump. Custom format streams pg_dump's stdout; directory format (`--jobs`) stages files in a local folder,
 * then streams them one by one.
 */
export class PostgresDatabaseDump implements DatabaseDump {
  readonly kind = 'postgres' as const;
  readonly #settings: PostgresDumpSettings;

  constructor(settings: PostgresDumpSettings) {
    this.#settings = settings;
  }

  async describe(): Promise<DumpSource> {
    return this.#withClient(async (client) => {
      const facts = await serverFacts(client);
      const tool = await findPgTool('pg_dump', facts.major, this.#settings.binDir);
      return {
        kind: 'postgres',
        database: facts.database,
        serverVersion: facts.version,
        tool: tool.version,
        sizeBytes: facts.size,
      };
    });
  }

  async dump(options: DumpOptions): Promise<DumpReport> {
    if (options.format === 'pglite-datadir')
      throw new AppError('USAGE_INVALID', 'PostgreSQL dumps are custom or directory');
    return this.#withClient(async (client) => {
      const locked = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
        BACKUP_LOCK_KEY.toString(),
      ]);
      if (locked.rows[0]?.locked !== true) {
        throw new AppError('PRECONDITION_FAILED', 'another backup of this database is running (advisory lock held)');
      }
      const facts = await serverFacts(client);
      const tool = await findPgTool('pg_dump', facts.major, this.#settings.binDir);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const snapshot = await client.query('SELECT pg_export_snapshot() AS id, now() AS at');
      const snapshotId = String(snapshot.rows[0].id);
      const query: QueryRows = (sql) => client.query(sql);
      const tables = await listTables(query);
      if (tables.length > 0) {
        await client.query(`LOCK TABLE ${tables.map((t) => t.quoted).join(', ')} IN ACCESS SHARE MODE`);
      }
      const inspection = await inspectDatabase(query, tables);
      const keys = options.withObjectKeys ? await referencedObjectKeys(query) : [];
      const connection = libpqConnection(this.#settings.url);
      const common = [`--snapshot=${snapshotId}`, '--no-password', `--dbname=${connection.url}`];
      if (options.format === 'custom') {
        const child = spawnTool(tool, ['--format=custom', ...common], connection.env);
        child.stdin?.end();
        await options.onFile({ name: 'database.dump', body: completeOutput(child, 'pg_dump') });
      } else {
        await this.#dumpDirectory(tool, common, connection.env, options);
      }
      await client.query('COMMIT');
      return {
        kind: 'postgres',
        database: facts.database,
        serverVersion: facts.version,
        tool: tool.version,
        sizeBytes: facts.size,
        format: options.format,
        snapshotAt: new Date(snapshot.rows[0].at as string | Date),
        referencedObjectKeys: keys,
        ...inspection,
      };
    });
  }

  async #dumpDirectory(
    tool: Awaited<ReturnType<typeof findPgTool>>,
    common: string[],
    env: Record<string, string>,
    options: DumpOptions,
  ): Promise<void> {
    const staging = await mkdtemp(join(this.#settings.stagingDir ?? tmpdir(), 'listings-backup-'));
    try {
      const target = join(staging, 'database');
      const child = spawnTool(
        tool,
        ['--format=directory', `--jobs=${options.jobs}`, `--file=${target}`, ...common],
        env,
      );
      child.stdin?.end();
      child.stdout?.resume();
      const stderr = stderrTail(child);
      const code = await exitOf(child);
      if (code !== 0) throw new AppError('INTERNAL', `pg_dump failed (exit ${code}): ${stderr()}`);
      // toc.dat first: a reader can tell what the folder holds before the table files arrive.
      const names = (await readdir(target)).sort((a, b) =>
        a === 'toc.dat' ? -1 : b === 'toc.dat' ? 1 : a < b ? -1 : 1,
      );
      for (const name of names) {
        await options.onFile({ name: `database/${name}`, body: createReadStream(join(target, name)) });
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  listContents(archive: DumpArchive): Promise<ArchiveContents> {
    return listArchive(archive, this.#restoreSettings());
  }

  async inspect(target: string): Promise<DatabaseInspection> {
    return this.#withClient((client) => inspectDatabase((sql) => client.query(sql)), target);
  }

  async restore(archive: DumpArchive, target: string, options: RestoreOptions): Promise<DatabaseInspection> {
    const before = await this.inspect(target);
    if (Object.keys(before.tableRowCounts).length > 0 && !options.clean) {
      throw new AppError(
        'PRECONDITION_FAILED',
        'the target database holds tables; restore with --clean to replace them',
      );
    }
    await restoreArchive(archive, target, { ...this.#restoreSettings(), clean: options.clean });
    return this.inspect(target);
  }

  restoreIntoScratch(archive: DumpArchive): Promise<DatabaseInspection> {
    return withScratchDatabase(this.#settings.url, async (scratchUrl) => {
      await restoreArchive(archive, scratchUrl, { ...this.#restoreSettings(), clean: false });
      return this.inspect(scratchUrl);
    });
  }

  #restoreSettings() {
    return {
      binDir: this.#settings.binDir,
      stagingDir: this.#settings.stagingDir,
    };
  }

  async #withClient<T>(work: (client: pg.Client) => Promise<T>, url = this.#settings.url): Promise<T> {
    const client = new pg.Client({ connectionString: url, application_name: 'listings-backup' });
    try {
      await client.connect();
    } catch (error) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', `cannot reach PostgreSQL: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

async function serverFacts(
  client: pg.Client,
): Promise<{ database: string; version: string; major: number; size: number }> {
  const { rows } = await client.query(
    `SELECT current_database() AS database, current_setting('server_version') AS version,
            pg_database_size(current_database())::text AS size`,
  );
  const version = String(rows[0].version).split(' ')[0] as string;
  return { database: String(rows[0].database), version, major: majorOf(version) ?? 0, size: Number(rows[0].size) };
}

/**
 * The child's stdout as a stream that ends only when the program exited 0, and errors (with its stderr) otherwise,
 * so an all-or-nothing store never keeps the output of a failed dump. Destroying the stream stops the program.
 */
export function completeOutput(child: ChildProcess, program: string): Readable {
  const output = new PassThrough();
  const stderr = stderrTail(child);
  child.stdout?.pipe(output, { end: false });
  exitOf(child).then(
    (code) => {
      if (code === 0) output.end();
      else output.destroy(new AppError('INTERNAL', `${program} failed (exit ${code}): ${stderr()}`));
    },
    (error: unknown) => output.destroy(error as Error),
  );
  output.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  return output;
}
