import type { Logger as PinoLogger } from 'pino';
import { seed as seedCategories } from '../../migrations/seeds/categories.ts';
import { AppError } from '../../src/domain/errors.ts';
import { MigrateSchema } from '../../src/migrate-schema.ts';
import type { Database } from './database.ts';

/**
 * Refuses to serve on a schema older than the code, serves on a newer one (with a warning). The embedded database
 * migrates itself (there is no operator to ask); a PostgreSQL server is migrated by `listings migrate latest`, a
 * deliberate step, unless auto-migration was asked for.
 */
export async function ensureSchema(
  database: Database,
  options: { autoMigrate: boolean; logger: PinoLogger },
): Promise<void> {
  const migrate = new MigrateSchema(database.migrator);
  const status = await migrate.status();
  if (status.pending.length > 0) await applyPending(migrate, status, options);
  else if (status.unknown.length > 0) {
    // A rolling deploy: the new release migrated while this one still runs or restarts. Migrations keep the previous
    // release working (expand, then contract a release later), so this one serves.
    options.logger.warn(
      { unknown: status.unknown, version: status.currentVersion },
      'the database schema is newer than this release; serving on it',
    );
  }
  if (database.driver === 'pglite') await seedEmbeddedCategories(database, options.logger);
}

/**
 * Categories are data the operator loads (the original's 78 rows were loaded by hand). An embedded database that
 * has none gets the small development tree, so `listings serve` with no configuration can take a listing at once.
 */
async function seedEmbeddedCategories(database: Database, logger: PinoLogger): Promise<void> {
  const rows = (await database.knex('c2c_categories').count({ n: '*' })) as { n: number | string }[];
  if (Number(rows[0]?.n ?? 0) > 0) return;
  await seedCategories(database.knex);
  logger.info({}, 'embedded database had no categories: loaded the development category tree');
}

async function applyPending(
  migrate: MigrateSchema,
  status: Awaited<ReturnType<MigrateSchema['status']>>,
  options: { autoMigrate: boolean; logger: PinoLogger },
): Promise<void> {
  if (!options.autoMigrate) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `the database schema is at ${status.currentVersion ?? 'no version'} with ${status.pending.length} pending migration(s); run \`listings migrate latest\` (or start with --migrate)`,
    );
  }
  const report = await migrate.latest();
  options.logger.info({ applied: report.names, version: report.currentVersion }, 'schema migrated');
}
