import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
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
import { inspectDatabase, type QueryRows, referencedObjectKeys } from '../postgres/backup-inspection.ts';
import { readTarball } from './backup-tarball.ts';
import { DataDirLock } from './data-dir-lock.ts';
import { PGLITE_EXTENSIONS } from './pglite-knex.ts';

const TARBALL = 'pgdata.tar.gz';

function pgliteVersion(): string {
  // The package exports no package.json; find it beside the resolved entry point.
  let folder = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(join(folder, 'package.json'))) folder = dirname(folder);
  return `@electric-sql/pglite ${JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version}`;
}

export interface PgliteDumpSettings {
  /** The embedded database's data directory (`DATA_DIR/pglite`), opened only by `describe` and `dump`. */
  readonly dataDir: string;
}

/**
 * {@link DatabaseDump} for the embedded PGlite: a gzipped tarball of the data directory (`dumpDataDir`), taken
 * after a CHECKPOINT, with the row counts read just before by the same, only session. Only one process can open
 * the data directory, so nothing writes between the counts and the tarball; `listings serve` must be stopped
 * first (the data directory's lock refuses with PRECONDITION_FAILED while it runs). PGlite builds the tarball and reads one back in
 * memory, which the embedded database's size allows.
 */
export class PgliteDatabaseDump implements DatabaseDump {
  readonly kind = 'pglite' as const;
  readonly #dataDir: string;

  constructor(settings: PgliteDumpSettings) {
    this.#dataDir = resolve(settings.dataDir);
  }

  async describe(): Promise<DumpSource> {
    return this.#withSource(async (pg) => this.#source(pg));
  }

  async dump(options: DumpOptions): Promise<DumpReport> {
    return this.#withSource(async (pg) => {
      const source = await this.#source(pg);
      await pg.exec('CHECKPOINT');
      const query = queryOf(pg);
      const inspection = await inspectDatabase(query);
      const keys = options.withObjectKeys ? await referencedObjectKeys(query) : [];
      const snapshotAt = new Date();
      const tarball = await pg.dumpDataDir('gzip');
      await options.onFile({ name: TARBALL, body: Readable.fromWeb(tarball.stream() as never) });
      return { ...source, ...inspection, format: 'pglite-datadir', snapshotAt, referencedObjectKeys: keys };
    });
  }

  async listContents(archive: DumpArchive): Promise<ArchiveContents> {
    const summary = await readTarball(await this.#open(archive));
    if (![...summary.names].some((name) => name === 'PG_VERSION' || name.endsWith('/PG_VERSION'))) {
      throw new AppError('CHECK_FAILED', 'the tarball holds no PG_VERSION: not a PostgreSQL data directory');
    }
    return { entries: summary.entries, dataEntries: summary.files, dataTables: null };
  }

  async inspect(target: string): Promise<DatabaseInspection> {
    this.#refuseOwnDataDir(target);
    if (!(await holdsDatabase(target))) return { schemaVersion: null, tableRowCounts: {} };
    return withExclusive(target, (pg) => inspectDatabase(queryOf(pg)));
  }

  async restore(archive: DumpArchive, target: string, options: RestoreOptions): Promise<DatabaseInspection> {
    this.#refuseOwnDataDir(target);
    const folder = resolve(target);
    // Nothing else may have the folder open while it is emptied and loaded (another restore, a serve pointed at it).
    const lock = await DataDirLock.acquire(folder);
    try {
      return await this.#restoreLocked(archive, folder, options);
    } finally {
      await lock.release();
    }
  }

  async #restoreLocked(archive: DumpArchive, folder: string, options: RestoreOptions): Promise<DatabaseInspection> {
    const entries = existsSync(folder) ? await readdir(folder) : [];
    if (entries.length > 0) {
      if (!options.clean)
        throw new AppError('PRECONDITION_FAILED', `${folder} is not empty; pass --clean to replace it`);
      // --clean empties only what is recognisably a PostgreSQL data directory, never an arbitrary folder.
      if (!entries.includes('PG_VERSION')) {
        throw new AppError('PRECONDITION_FAILED', `${folder} is not empty and is not a PGlite data directory`);
      }
      await rm(folder, { recursive: true, force: true });
    }
    await mkdir(folder, { recursive: true });
    return this.#loadAndInspect(archive, folder);
  }

  /** Restoring over the live embedded database would destroy the source of truth while it may be open. */
  #refuseOwnDataDir(target: string): void {
    if (resolve(target) === this.#dataDir) {
      throw new AppError('USAGE_INVALID', 'restore into another data directory than the configured one, then swap');
    }
  }

  restoreIntoScratch(archive: DumpArchive): Promise<DatabaseInspection> {
    return this.#loadAndInspect(archive, 'memory://');
  }

  async #loadAndInspect(archive: DumpArchive, dataDir: string): Promise<DatabaseInspection> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.#open(archive)) chunks.push(chunk as Buffer);
    let pg: PGlite;
    try {
      pg = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS, loadDataDir: new Blob(chunks) });
    } catch (error) {
      throw new AppError('CHECK_FAILED', `PGlite could not load the data directory: ${(error as Error).message}`);
    }
    try {
      return await inspectDatabase(queryOf(pg));
    } finally {
      await pg.close();
    }
  }

  async #open(archive: DumpArchive): Promise<Readable> {
    if (archive.format !== 'pglite-datadir' || !archive.files.some((f) => f.name === TARBALL)) {
      throw new AppError('CHECK_FAILED', `not a PGlite data-directory backup (no ${TARBALL})`);
    }
    return archive.open(TARBALL);
  }

  async #source(pg: PGlite): Promise<DumpSource> {
    const { rows } = await pg.query<{ version: string }>(`SELECT current_setting('server_version') AS version`);
    return {
      kind: 'pglite',
      database: this.#dataDir,
      serverVersion: String(rows[0]?.version).split(' ')[0] as string,
      tool: pgliteVersion(),
      sizeBytes: await folderSize(this.#dataDir),
    };
  }

  async #withSource<T>(work: (pg: PGlite) => Promise<T>): Promise<T> {
    if (!(await holdsDatabase(this.#dataDir))) {
      throw new AppError('PRECONDITION_FAILED', `no embedded database in ${this.#dataDir}`);
    }
    return withExclusive(this.#dataDir, work);
  }
}

function queryOf(pg: PGlite): QueryRows {
  return (sql) => pg.query<Record<string, unknown>>(sql);
}

async function holdsDatabase(folder: string): Promise<boolean> {
  return existsSync(join(folder, 'PG_VERSION'));
}

/** Runs `work` on the database in `dataDir` while this process holds the directory's lock (data-dir-lock.ts). */
async function withExclusive<T>(dataDir: string, work: (pg: PGlite) => Promise<T>): Promise<T> {
  const lock = await DataDirLock.acquire(dataDir);
  try {
    let pg: PGlite;
    try {
      pg = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS });
    } catch (error) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `cannot open the embedded database in ${dataDir}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    try {
      return await work(pg);
    } finally {
      await pg.close();
    }
  } finally {
    await lock.release();
  }
}

async function folderSize(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      total += (await stat(join(entry.parentPath, entry.name))).size;
    }
  }
  return total;
}
