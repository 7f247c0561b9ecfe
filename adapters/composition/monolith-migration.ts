import type { MonolithTarget } from '../../ports/monolith-target.ts';
import { AppError } from '../../src/domain/errors.ts';
import { DEFAULT_COUNTRY_CODES, MONOLITH_MAPPING_FUNCTIONS } from '../../src/monolith-migration/mapping/index.ts';
import type { MonolithMapping } from '../../src/monolith-migration/monolith-mapping.ts';
import { MigrateFromMonolith } from '../../src/monolith-migration/run-migration.ts';
import type { Config } from '../config/config.ts';
import { PgMonolithSource } from '../postgres/monolith/pg-monolith-source.ts';
import { PgMonolithTarget } from '../postgres/monolith/pg-monolith-target.ts';
import { checkDsn } from '../postgres/monolith/session.ts';
import { randomIds } from '../system/random-ids.ts';
import { systemClock } from '../system/system-clock.ts';
import { postgresUrl } from './database.ts';

/** The mapping of reference monolith.md §3, function by function. */
export const MONOLITH_MAPPING: MonolithMapping = MONOLITH_MAPPING_FUNCTIONS;

export interface MonolithMigration {
  readonly migrate: MigrateFromMonolith;
  readonly target: MonolithTarget;
  close(): Promise<void>;
}

/**
 * Builds migrate-from-monolith for the given source and target DSNs (the target defaults to the configured
 * database, which must then be PostgreSQL: the writer streams COPY, which PGlite does not serve).
 */
export async function buildMonolithMigration(options: {
  readonly source: string;
  readonly target: string | undefined;
  /** The configuration; only read when `target` is undefined. */
  readonly config?: Config;
  readonly toolVersion: string;
}): Promise<MonolithMigration> {
  checkDsn('--source', options.source);
  let targetDsn = options.target;
  if (targetDsn === undefined) {
    if (options.config?.database.driver !== 'postgres') {
      throw new AppError(
        'USAGE_INVALID',
        'migrate-from-monolith writes to PostgreSQL: pass --target <dsn> or configure SVETULISTINGS_DB_URL (the embedded database cannot take COPY)',
      );
    }
    targetDsn = postgresUrl(options.config.database);
  }
  checkDsn('--target', targetDsn);
  const target = await PgMonolithTarget.connect(targetDsn);
  const migrate = new MigrateFromMonolith({
    source: new PgMonolithSource(options.source),
    target,
    mapping: MONOLITH_MAPPING,
    clock: systemClock,
    ids: randomIds,
    toolVersion: options.toolVersion,
    countryCodes: DEFAULT_COUNTRY_CODES,
  });
  return { migrate, target, close: () => target.close() };
}
