import type { MigrationRun, SchemaMigrator, SchemaStatus } from '../ports/schema-migrator.ts';
import { validationError } from './domain/errors.ts';

/** What a migrate command did, or with `dryRun` would do. */
export interface MigrationReport {
  readonly dryRun: boolean;
  /** Migrations applied or reverted (or that would be), in the order of execution. */
  readonly names: readonly string[];
  /** The batch applied or reverted; 0 when nothing was done (always 0 for a dry run). */
  readonly batch: number;
  /** The schema version after the run (for a dry run: now). */
  readonly currentVersion: string | null;
}

export interface LatestCommand {
  readonly dryRun?: boolean;
}

export interface RollbackCommand {
  /** Revert every applied migration instead of the last batch. */
  readonly all?: boolean;
  readonly dryRun?: boolean;
}

const MIGRATION_NAME = /^[a-z][a-z0-9_]{0,99}$/;

/**
 * The schema use cases behind `listings migrate status|latest|rollback|make`: thin on purpose, because the
 * SchemaMigrator port carries the locking and transaction guarantees. A dry run reads the status under the same
 * lock and reports what a real run would apply or revert.
 */
export class MigrateSchema {
  readonly #migrator: SchemaMigrator;

  constructor(migrator: SchemaMigrator) {
    this.#migrator = migrator;
  }

  status(): Promise<SchemaStatus> {
    return this.#migrator.status();
  }

  async latest(command: LatestCommand = {}): Promise<MigrationReport> {
    if (command.dryRun) {
      const status = await this.#migrator.status();
      return { dryRun: true, names: status.pending, batch: 0, currentVersion: status.currentVersion };
    }
    return this.#report(await this.#migrator.latest());
  }

  async rollback(command: RollbackCommand = {}): Promise<MigrationReport> {
    if (command.dryRun) {
      const status = await this.#migrator.status();
      const lastBatch = status.applied.at(-1)?.batch;
      const reverted = status.applied.filter((migration) => command.all || migration.batch === lastBatch);
      return {
        dryRun: true,
        names: reverted.map((migration) => migration.name).reverse(),
        batch: 0,
        currentVersion: status.currentVersion,
      };
    }
    return this.#report(await this.#migrator.rollback({ all: command.all ?? false }));
  }

  /** Scaffolds a migration; `name` is snake_case (`add_listing_brand`). Returns the new file's path. */
  make(name: string): Promise<string> {
    if (!MIGRATION_NAME.test(name)) {
      return Promise.reject(
        validationError([
          {
            field: 'name',
            reason: 'invalid_format',
            message: 'a migration name is snake_case: a lowercase letter, then lowercase letters, digits or _',
          },
        ]),
      );
    }
    return this.#migrator.make(name);
  }

  async #report(run: MigrationRun): Promise<MigrationReport> {
    const { currentVersion } = await this.#migrator.status();
    return { dryRun: false, names: run.names, batch: run.batch, currentVersion };
  }
}
