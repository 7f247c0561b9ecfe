import type { Logger as PinoLogger } from 'pino';
import { NO_METRICS } from '../../ports/core-metrics.ts';
import type { IndexOutbox } from '../../ports/index-outbox.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import type { SearchIndexMaintenance } from '../../ports/search-index-maintenance.ts';
import { ListingCache } from '../../src/listings/listing-cache.ts';
import { RebuildSearchIndex } from '../../src/reindex/rebuild-search-index.ts';
import { RollBackSearchIndex } from '../../src/reindex/roll-back-index.ts';
import type { CacheCheckDeps } from '../../src/validate/cached-listings-check.ts';
import { CompareIndexCounts } from '../../src/validate/compare-counts.ts';
import type { ImageCheckDeps } from '../../src/validate/image-objects-check.ts';
import { ValidateSearchIndex } from '../../src/validate/validate-search-index.ts';
import type { Config } from '../config/config.ts';
import { OpenSearchIndexMaintenance } from '../opensearch/opensearch-index-maintenance.ts';
import { OpenSearchSearchIndex } from '../opensearch/opensearch-search-index.ts';
import { PgSearchIndex } from '../pgsearch/pg-search-index.ts';
import { PgSearchMaintenance } from '../pgsearch/pg-search-maintenance.ts';
import { RedisCache } from '../redis/redis-cache.ts';
import { closeRedisClient, createRedisClient } from '../redis/redis-client.ts';
import { withAdvisoryLock } from '../sql/advisory-lock.ts';
import { KnexImageKeyIndex } from '../sql/knex-image-key-index.ts';
import { KnexListingCounts } from '../sql/knex-listing-counts.ts';
import { KnexSideRowsCopy } from '../sql/knex-side-rows-copy.ts';
import { createPlainRepositories } from '../sql/sql-repositories.ts';
import { systemClock } from '../system/system-clock.ts';
import { type Database, openDatabase } from './database.ts';
import { ensureSchema } from './schema-gate.ts';
import { buildObjectStore } from './storage.ts';

/** One reindex per engine at a time (any fixed bigints, unique among our locks). */
const REINDEX_LOCK_KEYS = { opensearch: 0x6c69_7374_0021n, postgres: 0x6c69_7374_0022n } as const;

export type SearchEngineName = 'opensearch' | 'postgres';

/** What `listings reindex` and `listings validate` run on: one engine's index, the database, and the use cases. */
export interface AdminSearch {
  readonly engine: SearchEngineName;
  readonly database: Database;
  readonly listings: ListingRepository;
  readonly outbox: IndexOutbox;
  readonly searchIndex: SearchIndex;
  readonly maintenance: SearchIndexMaintenance;
  readonly rebuild: RebuildSearchIndex;
  readonly rollback: RollBackSearchIndex;
  readonly validate: ValidateSearchIndex;
  /** `validate --quick`: counts per status and category only. */
  readonly counts: CompareIndexCounts;
  /** Runs `work` holding this engine's reindex lock; a second holder fails with PRECONDITION_FAILED (exit 4). */
  withReindexLock<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Builds the admin side of search for one engine: `engine` (default: the configured `SEARCH_ENGINE`) picks
 * OpenSearch or PostgreSQL's search table; with OpenSearch and `SEARCH_FALLBACK=postgres`, the fallback table is
 * rebuilt or validated with `--engine postgres`. The indices are the engine adapters themselves, not the serving
 * wrappers (failover, mirror): a rebuild writes one engine. Validate checks the shared listing cache when it is
 * Redis (an in-process cache lives in the serving process, out of reach).
 */
export async function buildAdminSearch(
  config: Config,
  logger: PinoLogger,
  options: { readonly engine?: SearchEngineName; readonly checkCache?: boolean; readonly checkImages?: boolean } = {},
): Promise<AdminSearch> {
  const engine = options.engine ?? config.search.engine;
  const database = await openDatabase(config);
  const closers: (() => Promise<void>)[] = [() => database.close()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    await ensureSchema(database, { autoMigrate: database.driver === 'pglite', logger });
    const { listings, outbox } = createPlainRepositories(database.knex);
    let searchIndex: SearchIndex;
    let maintenance: SearchIndexMaintenance;
    if (engine === 'opensearch') {
      const settings = {
        addresses: config.opensearch.addresses,
        username: config.opensearch.username,
        password: config.opensearch.password,
        alias: config.opensearch.index,
      };
      const opensearch = new OpenSearchSearchIndex(settings);
      const opensearchMaintenance = new OpenSearchIndexMaintenance(settings);
      closers.push(
        () => opensearch.close(),
        () => opensearchMaintenance.close(),
      );
      searchIndex = opensearch;
      maintenance = opensearchMaintenance;
    } else {
      searchIndex = new PgSearchIndex({ knex: database.knex });
      maintenance = new PgSearchMaintenance({ knex: database.knex });
    }
    const cache = options.checkCache === true ? listingCacheOf(config, logger, closers) : undefined;
    const images = options.checkImages === true ? storedImagesOf(config, database, closers) : undefined;
    const monotonicMs = () => performance.now();
    return {
      engine,
      database,
      listings,
      outbox,
      searchIndex,
      maintenance,
      rebuild: new RebuildSearchIndex({ listings, outbox, searchIndex, maintenance, logger, monotonicMs }),
      rollback: new RollBackSearchIndex({ listings, searchIndex, maintenance, logger }),
      validate: new ValidateSearchIndex({
        listings,
        outbox,
        searchIndex,
        maintenance,
        monotonicMs,
        ...(cache === undefined ? {} : { cache }),
        ...(images === undefined ? {} : { images }),
        sideRows: new KnexSideRowsCopy(database.knex),
      }),
      counts: new CompareIndexCounts({
        listings: new KnexListingCounts(database.knex),
        searchIndex,
        maintenance,
        monotonicMs,
      }),
      withReindexLock: (work) => withAdvisoryLock(database.knex, REINDEX_LOCK_KEYS[engine], `${engine} reindex`, work),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The object store of the config and the image rows, for validate's stored-images check. */
function storedImagesOf(config: Config, database: Database, closers: (() => Promise<void>)[]): ImageCheckDeps {
  const { store } = buildObjectStore(config);
  closers.push(() => store.close());
  return { store, keys: new KnexImageKeyIndex(database.knex), clock: systemClock };
}

/** The listing cache as `serve` builds it on Redis (same key prefix), counting the failures the port swallows. */
function listingCacheOf(
  config: Config,
  logger: PinoLogger,
  closers: (() => Promise<void>)[],
): CacheCheckDeps | undefined {
  if (config.cache.driver !== 'redis') return undefined;
  const redis = config.redis;
  const client = createRedisClient({
    ...(redis.url
      ? { url: redis.url }
      : { host: redis.host, port: redis.port, password: redis.password, db: redis.db }),
    commandTimeoutMs: redis.commandTimeoutMs,
    onConnectionError(error) {
      logger.warn({ err: error.message }, 'validate: redis unreachable');
    },
  });
  closers.push(() => closeRedisClient(client));
  let failures = 0;
  const cache = new RedisCache({
    client,
    observer: {
      onError() {
        failures += 1;
      },
    },
  });
  return { cache: new ListingCache({ cache, metrics: NO_METRICS }), failures: () => failures };
}
