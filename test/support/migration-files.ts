import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** The migration files in the order the migrator applies them (name order), read from migrations/. */
export const MIGRATION_FILES: readonly string[] = readdirSync(resolve(import.meta.dirname, '../../migrations'))
  .filter((name) => /^\d{14}_[a-z0-9_]+\.ts$/.test(name))
  .sort();

/** The timestamp prefix of the newest migration: the schema version after `latest`. */
export const LATEST_VERSION: string = (MIGRATION_FILES.at(-1) ?? '').slice(0, 14);
