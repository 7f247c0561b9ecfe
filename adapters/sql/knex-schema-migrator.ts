import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import type {
  AppliedMigration,
  MigrationRun,
  RollbackOptions,
  SchemaMigrator,
  SchemaStatus,
} from '../../ports/schema-migrator.ts';
import { AppError } from '../../src/domain/errors.ts';
import { withAdvisoryLock } from './advisory-lock.ts';

/** The advisory-lock key of schema migrations of this service (any fixed bigint, unique among our locks). */
export const SCHEMA_MIGRATION_LOCK_KEY = 0x6c69_7374_0001n;

/** The repository's `migrations/` folder. */
export const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('../../migrations', import.meta.url));

const MIGRATION_FILE = /^(\d{14})_[a-z0-9_]+\.ts$/;
const MIGRATION_NAME = /^[a-z][a-z0-9_]*$/;

export interface KnexSchemaMigratorOptions {
  /** Folder of the migration files. Default: the repository's `migrations/`. */
  readonly directory?: string;
  /** Table of applied migrations (knex's own bookkeeping). Default `knex_migrations`. */
  readonly tableName?: string;
  /** The clock `make` names files with. Default: the system clock. */
  readonly now?: () => Date;
}

/**
 * SchemaMigrator on knex's migrator, for PostgreSQL and PGlite alike.
 *
 * Migration files are TypeScript, loaded by knex with a plain dynamic `import()`: Node 24 strips their types, so no
 * transpiler is involved. Every run takes the advisory lock SCHEMA_MIGRATION_LOCK_KEY (see withAdvisoryLock); knex
 * also keeps its own lock row (`<tableName>_lock`), which only a crashed run without transactions can leave set.
 */
export class KnexSchemaMigrator implements SchemaMigrator {
  readonly #knex: Knex;
  readonly #directory: string;
  readonly #config: Knex.MigratorConfig;
  readonly #now: () => Date;

  constructor(knex: Knex, options: KnexSchemaMigratorOptions = {}) {
    this.#knex = knex;
    this.#directory = options.directory ?? MIGRATIONS_DIRECTORY;
    this.#now = options.now ?? (() => new Date());
    this.#config = {
      directory: this.#directory,
      loadExtensions: ['.ts'],
      tableName: options.tableName ?? 'knex_migrations',
    };
  }

  async status(): Promise<SchemaStatus> {
    return this.#locked(() => this.#status());
  }

  async latest(): Promise<MigrationRun> {
    return this.#locked(async () => {
      const status = await this.#status();
      if (status.unknown.length > 0) {
        // Nothing to apply is a successful no-op; applying this release's files after a newer release's would run
        // them out of order.
        if (status.pending.length === 0) return { batch: 0, names: [] };
        throw newerRelease(status.unknown, `${status.pending.length} of this release's migration(s) are not applied`);
      }
      return toRun(await this.#knex.migrate.latest(this.#config));
    });
  }

  async rollback(options: RollbackOptions = {}): Promise<MigrationRun> {
    return this.#locked(async () => {
      const status = await this.#status();
      if (status.unknown.length > 0) throw newerRelease(status.unknown, 'their down steps are not in this release');
      return toRun(await this.#knex.migrate.rollback(this.#config, options.all ?? false));
    });
  }

  async make(name: string): Promise<string> {
    if (!MIGRATION_NAME.test(name)) {
      throw new AppError('VALIDATION_FAILED', `migration name "${name}" must match ${MIGRATION_NAME}`);
    }
    const file = join(this.#directory, `${await this.#nextTimestamp()}_${name}.ts`);
    await writeFile(file, MIGRATION_TEMPLATE, { flag: 'wx' });
    return file;
  }

  async #locked<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await withAdvisoryLock(this.#knex, SCHEMA_MIGRATION_LOCK_KEY, 'migration', work);
    } catch (error) {
      if (error instanceof Error && error.name === 'MigrationLocked') {
        throw new AppError('PRECONDITION_FAILED', `${error.message} (knex lock row; release it if no run is active)`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * knex's own listing refuses a database that has migrations without a file ("the migration directory is corrupt"),
   * which is what a previous release sees during a rolling deploy after the new one migrated: those are reported as
   * `unknown` instead.
   */
  async #status(): Promise<SchemaStatus> {
    const [, pending] = (await this.#knex.migrate.list({ ...this.#config, disableMigrationsListValidation: true })) as [
      unknown[],
      { file: string }[],
    ];
    const files = new Set(await readdir(this.#directory));
    const applied = await this.#applied();
    const newest = applied.at(-1)?.name;
    return {
      applied,
      pending: pending.map((migration) => migration.file),
      unknown: applied.filter((migration) => !files.has(migration.name)).map((migration) => migration.name),
      currentVersion: newest === undefined ? null : (MIGRATION_FILE.exec(newest)?.[1] ?? newest),
    };
  }

  async #applied(): Promise<AppliedMigration[]> {
    const table = this.#config.tableName as string;
    if (!(await this.#knex.schema.hasTable(table))) return [];
    const rows = (await this.#knex(table).select('name', 'batch', 'migration_time').orderBy('id')) as {
      name: string;
      batch: number;
      migration_time: Date;
    }[];
    return rows.map((row) => ({ name: row.name, batch: Number(row.batch), appliedAt: row.migration_time }));
  }

  /** `YYYYMMDDHHMMSS` in UTC, moved past the newest existing migration so the new file always sorts last. */
  async #nextTimestamp(): Promise<string> {
    const files = await readdir(this.#directory);
    const newest = files
      .map((file) => MIGRATION_FILE.exec(file)?.[1])
      .filter((prefix) => prefix !== undefined)
      .sort()
      .at(-1);
    const now = this.#now().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    return newest !== undefined && newest >= now ? (BigInt(newest) + 1n).toString() : now;
  }
}

function newerRelease(unknown: readonly string[], consequence: string): AppError {
  return new AppError(
    'PRECONDITION_FAILED',
    `the database was migrated by a newer release (${unknown.length} migration(s) not in this one, newest ${unknown.at(-1)}) and ${consequence}: run \`listings migrate\` from the newer release`,
  );
}

function toRun([batch, names]: [number, string[]]): MigrationRun {
  return { batch: names.length === 0 ? 0 : batch, names };
}

const MIGRATION_TEMPLATE = `import type { Knex } from 'knex';

/** Why this change: ... */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(\`\`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(\`\`);
}
`;
