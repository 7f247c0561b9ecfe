import type { Readable } from 'node:stream';

/**
 * A logical copy of the whole database, as backups need it: dump it in one snapshot (with the row count of every
 * table taken in that same snapshot), read a stored dump's table of contents, and restore a stored dump into a
 * database the operator named or into a throw-away one. Adapters: `adapters/postgres/backup-postgres-dump.ts`
 * (`pg_dump`/`pg_restore` child processes, streamed) and `adapters/pglite/backup-pglite-dump.ts` (the embedded
 * database's data directory as a tarball).
 *
 * Guarantees every adapter keeps:
 * - Streaming: `dump` hands each file over as a stream while it is produced; nothing holds a whole dump in
 *   memory (the PGlite adapter excepted: PGlite itself builds its tarball in memory; the embedded database is
 *   small by design).
 * - One snapshot: the files, `tableRowCounts`, `schemaVersion` and `referencedObjectKeys` of one `dump` all see
 *   the same committed state.
 * - A file stream that ends without error is complete: a dump tool that fails makes the stream emit an error
 *   instead of ending, so a store that writes all-or-nothing never keeps a partial file.
 * - Tools too old for the server, or missing, are `AppError('PRECONDITION_FAILED')` naming what was found.
 */
export interface DatabaseDump {
  readonly kind: DumpKind;
  /** The source as it is now (no snapshot taken, nothing written): for dry runs and tool checks. */
  describe(): Promise<DumpSource>;
  /**
   * Dumps the database. Calls `onFile` once per file, one at a time, and waits for it before producing the next;
   * `onFile` must read the body to its end (or reject). A second dump of the same database while one runs is
   * `PRECONDITION_FAILED` (PostgreSQL: an advisory lock; PGlite: one process owns the data directory).
   */
  dump(options: DumpOptions): Promise<DumpReport>;
  /**
   * Reads the archive's table of contents without restoring it (`pg_restore --list`, or the tarball's entries).
   * An archive that cannot be read is `AppError('CHECK_FAILED')` with the tool's message.
   */
  listContents(archive: DumpArchive): Promise<ArchiveContents>;
  /** The tables and schema version of a target (a PostgreSQL URL, or a PGlite data directory). */
  inspect(target: string): Promise<DatabaseInspection>;
  /**
   * Restores the archive into `target` (a PostgreSQL URL of an existing database, or a PGlite data directory),
   * then inspects it. Without `clean` a target holding any table is `PRECONDITION_FAILED`. Never drops or creates
   * a database.
   */
  restore(archive: DumpArchive, target: string, options: RestoreOptions): Promise<DatabaseInspection>;
  /**
   * Restores the archive into a new, empty, throw-away database, inspects it and drops it again, whatever
   * happens. A restore that fails is `AppError('CHECK_FAILED')` with the tool's message.
   */
  restoreIntoScratch(archive: DumpArchive): Promise<DatabaseInspection>;
}

export type DumpKind = 'postgres' | 'pglite';

/** `custom` and `directory` are pg_dump's formats; `pglite-datadir` a gzipped tarball of PGlite's data directory. */
export type DumpFormat = 'custom' | 'directory' | 'pglite-datadir';

export interface DumpSource {
  readonly kind: DumpKind;
  /** The database name (PostgreSQL) or the data directory (PGlite). */
  readonly database: string;
  /** `SHOW server_version`, e.g. `15.10`. */
  readonly serverVersion: string;
  /** The dump tool and its version, e.g. `pg_dump (PostgreSQL) 15.10`, or `@electric-sql/pglite 0.5.16`. */
  readonly tool: string;
  /** `pg_database_size`, in bytes: a hint of the dump's size. */
  readonly sizeBytes: number;
}

export interface DumpOptions {
  /** `custom` (one streamed file) or `directory` (one file per table, produced in parallel); PGlite ignores it. */
  readonly format: DumpFormat;
  /** Parallel jobs of a `directory` dump, at least 1. */
  readonly jobs: number;
  /** Also return the object-store keys the rows reference (`listing_images.storage_key`), read in the snapshot. */
  readonly withObjectKeys: boolean;
  readonly onFile: (file: DumpFile) => Promise<void>;
}

export interface DumpFile {
  /** A relative, `/`-separated name: `database.dump`, `database/toc.dat`, `pgdata.tar.gz`. */
  readonly name: string;
  readonly body: Readable;
}

export interface DumpReport extends DumpSource, DatabaseInspection {
  readonly format: DumpFormat;
  /** When the snapshot was taken. */
  readonly snapshotAt: Date;
  /** Distinct referenced object keys, when `withObjectKeys` was asked; else empty. */
  readonly referencedObjectKeys: readonly string[];
}

export interface DatabaseInspection {
  /** The newest applied migration's timestamp prefix (`20261125000010`), or null without a migrations table. */
  readonly schemaVersion: string | null;
  /** Rows per table, keyed `schema.table`, for every ordinary table outside the system schemas. */
  readonly tableRowCounts: Readonly<Record<string, number>>;
}

/** A stored dump, opened file by file. */
export interface DumpArchive {
  readonly format: DumpFormat;
  /** The dump tool that wrote it (as {@link DumpSource.tool}): restoring needs a tool at least as new. */
  readonly tool: string;
  /** The files of the dump, as {@link DumpFile.name}s, with their sizes in bytes. */
  readonly files: readonly { readonly name: string; readonly size: number }[];
  open(name: string): Promise<Readable>;
}

export interface ArchiveContents {
  /** Entries of the table of contents (pg_restore --list lines, or tarball members). */
  readonly entries: number;
  /** Table-data entries (PostgreSQL), or data files (PGlite). */
  readonly dataEntries: number;
  /**
   * The tables whose rows the archive holds, keyed `schema.table` like {@link DatabaseInspection.tableRowCounts},
   * when the format names them (pg_dump's TABLE DATA entries); `null` when it does not (a PGlite data directory).
   */
  readonly dataTables: readonly string[] | null;
}

export interface RestoreOptions {
  /** Restore into a target that already holds tables, replacing the archive's objects (`pg_restore --clean`). */
  readonly clean: boolean;
}
