/**
 * The database schema, as the core needs to see and change it: which migrations are applied, apply the pending
 * ones, revert, and scaffold a new one.
 *
 * Guarantees an adapter must keep:
 * - Migrations are applied and reverted in name order (names start with a UTC timestamp, `YYYYMMDDHHMMSS_`).
 * - `status`, `latest` and `rollback` run under one cluster-wide lock per database (a PostgreSQL advisory lock),
 *   so two processes never migrate at once. If another run holds it, they fail at once, without waiting, with
 *   `AppError('PRECONDITION_FAILED')`; nothing was changed.
 * - A run applies its migrations in one transaction where the database allows it: if one fails, none of the run's
 *   migrations stay applied, and the error is raised.
 * - A database migrated by a newer release (applied migrations this code has no file for) is reported, not refused:
 *   `status` lists them as `unknown`, `latest` with nothing of its own pending does nothing, and `latest` with
 *   something pending or `rollback` fail with `AppError('PRECONDITION_FAILED')`, changing nothing.
 * - `make` only writes a file: it takes no lock and needs no database.
 */
export interface SchemaMigrator {
  status(): Promise<SchemaStatus>;
  /** Applies every pending migration as one new batch. Nothing pending → an empty `names`. */
  latest(): Promise<MigrationRun>;
  /** Reverts the last batch, or every applied migration with `all`. Nothing applied → an empty `names`. */
  rollback(options?: RollbackOptions): Promise<MigrationRun>;
  /** Creates an empty migration named `<UTC timestamp>_<name>` and returns its file path. */
  make(name: string): Promise<string>;
}

export interface AppliedMigration {
  readonly name: string;
  /** Migrations applied by one `latest` share a batch number; batches count up from 1. */
  readonly batch: number;
  readonly appliedAt: Date;
}

export interface SchemaStatus {
  /** Applied migrations, oldest first. */
  readonly applied: readonly AppliedMigration[];
  /** Migrations present but not applied, in the order `latest` would apply them. */
  readonly pending: readonly string[];
  /** Applied migrations with no file here, oldest first: a newer release migrated the database. */
  readonly unknown: readonly string[];
  /** The timestamp prefix of the newest applied migration (e.g. `20261125000007`), or null on an empty database. */
  readonly currentVersion: string | null;
}

export interface RollbackOptions {
  /** Revert every applied migration, not only the last batch. Default false. */
  readonly all?: boolean;
}

export interface MigrationRun {
  /** The batch applied or reverted; 0 when nothing was done. */
  readonly batch: number;
  /** Migrations applied (oldest first) or reverted (newest first). */
  readonly names: readonly string[];
}
