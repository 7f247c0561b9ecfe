import { AppError } from '../../src/domain/errors.ts';
import { DEFAULT_COUNTRY_CODES, MONOLITH_MAPPING_FUNCTIONS } from '../../src/monolith-migration/mapping/index.ts';
import { VerifyMigration } from '../../src/monolith-migration/verify/verify-migration.ts';
import type { Config } from '../config/config.ts';
import { PgMonolithSource } from '../postgres/monolith/pg-monolith-source.ts';
import { PgMonolithTarget } from '../postgres/monolith/pg-monolith-target.ts';
import { checkDsn } from '../postgres/monolith/session.ts';
import { PgVerificationSource } from '../postgres/monolith/verify-source.ts';
import { PgVerificationTarget } from '../postgres/monolith/verify-target.ts';
import { systemClock } from '../system/system-clock.ts';
import { postgresUrl } from './database.ts';

export interface MonolithVerification {
  readonly verify: VerifyMigration;
  close(): Promise<void>;
}

/**
 * Builds `migrate-from-monolith verify` for the given DSNs (the target defaults to the configured PostgreSQL).
 * Two target connections: the run's own PgMonolithTarget for the lookups the mapping pass shares with the run
 * (reference data, parents, id_map hashes), used for reads only, and the verification reads.
 */
export async function buildMonolithVerification(options: {
  readonly source: string;
  readonly target: string | undefined;
  readonly config?: Config;
}): Promise<MonolithVerification> {
  checkDsn('--source', options.source);
  let targetDsn = options.target;
  if (targetDsn === undefined) {
    if (options.config?.database.driver !== 'postgres') {
      throw new AppError(
        'USAGE_INVALID',
        'migrate-from-monolith verify reads a PostgreSQL target: pass --target <dsn> or configure SVETULISTINGS_DB_URL',
      );
    }
    targetDsn = postgresUrl(options.config.database);
  }
  checkDsn('--target', targetDsn);
  const lookups = await PgMonolithTarget.connect(targetDsn);
  let target: PgVerificationTarget;
  try {
    target = await PgVerificationTarget.connect(targetDsn);
  } catch (error) {
    await lookups.close();
    throw error;
  }
  const verify = new VerifyMigration({
    source: new PgMonolithSource(options.source),
    sourceChecks: new PgVerificationSource(options.source),
    lookups,
    target,
    mapping: MONOLITH_MAPPING_FUNCTIONS,
    clock: systemClock,
    countryCodes: DEFAULT_COUNTRY_CODES,
  });
  return {
    verify,
    close: async () => {
      await target.close();
      await lookups.close();
    },
  };
}
