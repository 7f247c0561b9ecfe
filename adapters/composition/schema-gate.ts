import type { Logger as PinoLogger } from 'pino';
import { AppError } from '../../src/domain/errors.ts';
import { MigrateSchema } from '../../src/migrate-schema.ts';
import type { Database } from './database.ts';

/**
 * Refuses to serve on a schema older than the code. The embedded database migrates itself (there is
 * no operator to ask); a PostgreSQL server is migrated by `listings migrate latest`, a deliberate step,
 * unless auto-migration was asked for.
 */
export async function ensureSchema(
  database: Database,
  options: { autoMigrate: boolean; logger: PinoLogger },
): Promise<void> {
  const migrate = new MigrateSchema(database.migrator);
  const status = await migrate.status();
  if (status.pending.length === 0) return;
  if (!options.autoMigrate) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `the database schema is at ${status.currentVersion ?? 'no version'} with ${status.pending.length} pending migration(s); run \`listings migrate latest\` (or start with --migrate)`,
    );
  }
  const report = await migrate.latest();
  options.logger.info({ applied: report.names, version: report.currentVersion }, 'schema migrated');
}
