import type { MonolithTarget } from '../../ports/monolith-target.ts';
import { AppError } from '../../src/domain/errors.ts';
import { mapAttributeValue } from '../../src/monolith-migration/mapping/attribute-values.ts';
import { mapB2cProduct } from '../../src/monolith-migration/mapping/b2c-products.ts';
import { mapC2cListing } from '../../src/monolith-migration/mapping/c2c-listings.ts';
import { mapCategory, mapStore } from '../../src/monolith-migration/mapping/categories-and-stores.ts';
import { mapCompletion } from '../../src/monolith-migration/mapping/completions.ts';
import { DEFAULT_COUNTRY_CODES } from '../../src/monolith-migration/mapping/country-codes.ts';
import {
  mapB2cFavorite,
  mapC2cFavorite,
  mapInventoryMovement,
} from '../../src/monolith-migration/mapping/favorites-and-movements.ts';
import { mapB2cProductImages, mapC2cImages } from '../../src/monolith-migration/mapping/images.ts';
import { mapB2cVariant, mapC2cVariant } from '../../src/monolith-migration/mapping/variants.ts';
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
export const MONOLITH_MAPPING: MonolithMapping = {
  category: mapCategory,
  store: mapStore,
  c2cListing: mapC2cListing,
  b2cProduct: mapB2cProduct,
  c2cImages: mapC2cImages,
  b2cProductImages: mapB2cProductImages,
  attributeValue: mapAttributeValue,
  c2cVariant: mapC2cVariant,
  b2cVariant: mapB2cVariant,
  c2cFavorite: mapC2cFavorite,
  b2cFavorite: mapB2cFavorite,
  inventoryMovement: mapInventoryMovement,
  completion: mapCompletion,
};

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
  readonly config: Config;
  readonly toolVersion: string;
}): Promise<MonolithMigration> {
  checkDsn('--source', options.source);
  let targetDsn = options.target;
  if (targetDsn === undefined) {
    if (options.config.database.driver !== 'postgres') {
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
