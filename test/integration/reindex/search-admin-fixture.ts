import { OpenSearchIndexMaintenance } from '../../../adapters/opensearch/opensearch-index-maintenance.ts';
import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { PgSearchMaintenance } from '../../../adapters/pgsearch/pg-search-maintenance.ts';
import { KnexSideRowsCopy } from '../../../adapters/sql/knex-side-rows-copy.ts';
import type { ListingRepository } from '../../../ports/listing-repository.ts';
import type { SearchIndex } from '../../../ports/search-index.ts';
import type { SearchIndexMaintenance } from '../../../ports/search-index-maintenance.ts';
import { type RebuildRequest, RebuildSearchIndex } from '../../../src/reindex/rebuild-search-index.ts';
import { RollBackSearchIndex } from '../../../src/reindex/roll-back-index.ts';
import { type ValidateRequest, ValidateSearchIndex } from '../../../src/validate/validate-search-index.ts';
import { opensearchUrl } from '../../support/servers.ts';
import {
  type Engine,
  openSearchEngine,
  openWorkerWorld,
  recordingLogger,
  type WorkerWorld,
} from '../worker/worker-fixture.ts';

/** A search engine under test; each `open` makes fresh indices (a new alias on OpenSearch). */
export interface AdminEngine {
  readonly name: 'pgsearch' | 'opensearch';
  open(): {
    readonly engine: Engine;
    /** The alias (OpenSearch) a CLI run must be given, null for pgsearch. */
    readonly alias: string | null;
    maintenance(world: WorkerWorld): SearchIndexMaintenance;
  };
}

export function adminEngines(): AdminEngine[] {
  return [
    {
      name: 'pgsearch',
      open: () => ({
        engine: {
          name: 'pgsearch',
          open: (world) => ({
            index: new PgSearchIndex({ knex: world.knex }),
            clear: async () => {},
            drop: async () => {},
          }),
        },
        alias: null,
        maintenance: (world) => new PgSearchMaintenance({ knex: world.world.knex }),
      }),
    },
    {
      name: 'opensearch',
      open: () => {
        const opensearch = openSearchEngine('reindex_test');
        return {
          engine: { name: 'opensearch', open: () => opensearch },
          alias: opensearch.alias,
          maintenance: () =>
            new OpenSearchIndexMaintenance({
              addresses: [opensearchUrl()],
              alias: opensearch.alias,
              requestTimeoutMs: 10_000,
            }),
        };
      },
    },
  ];
}

export const REBUILD: RebuildRequest = {
  batchSize: 100,
  concurrency: 2,
  bulk: { maxItems: 100, maxBytes: 1024 * 1024 },
  keep: 1,
  swap: true,
  dryRun: false,
  force: false,
  sampleSize: 50,
  retry: { attempts: 3, baseMs: 20 },
};

export const VALIDATE: ValidateRequest = {
  fix: false,
  dryRun: false,
  sample: null,
  keptIds: 1000,
  maxDeletes: 100,
  settleMs: 0,
};

/** The use cases of reindex and validate over a worker world's database and index. */
export interface AdminWorld extends WorkerWorld {
  readonly maintenance: SearchIndexMaintenance;
  /** The OpenSearch alias (null for pgsearch). */
  readonly alias: string | null;
  rebuild(overrides?: { listings?: ListingRepository; searchIndex?: SearchIndex }): RebuildSearchIndex;
  rollback(): RollBackSearchIndex;
  validate(): ValidateSearchIndex;
  /** `count` searchable (active, public) listings written straight into PostgreSQL (no outbox entries). */
  seed(count: number): Promise<number[]>;
}

export async function openAdminWorld(kind: AdminEngine): Promise<AdminWorld> {
  const engine = kind.open();
  const base = await openWorkerWorld(engine.engine);
  const maintenance = engine.maintenance(base);
  const monotonicMs = () => performance.now();
  const deps = () => ({
    listings: base.repos.listings,
    outbox: base.repos.outbox,
    searchIndex: base.index,
    maintenance,
    logger: recordingLogger(),
    monotonicMs,
  });
  const sideRows = new KnexSideRowsCopy(base.world.knex);
  return Object.assign(base, {
    maintenance,
    alias: engine.alias,
    rebuild: (overrides: { listings?: ListingRepository; searchIndex?: SearchIndex } = {}) =>
      new RebuildSearchIndex({ ...deps(), ...overrides }),
    rollback: () => new RollBackSearchIndex(deps()),
    validate: () => new ValidateSearchIndex({ ...deps(), sideRows }),
    async seed(count: number) {
      const category = base.world.categories.bicycles;
      const result = (await base.world.knex.raw(
        `INSERT INTO listings (user_id, title, description, price, category_id, status, visibility, quantity, published_at)
         SELECT 7, 'Bike ' || n, 'Seeded bike number ' || n, 100 + n, ?, 'active', 'public', 1, now()
         FROM generate_series(1, ?) AS n RETURNING id`,
        [category, count],
      )) as { rows: { id: number }[] };
      return result.rows.map((row) => Number(row.id));
    },
  });
}

/** A rebuild's hooks that never stop and record the phases seen. */
export function quietHooks(phases: string[] = []) {
  return {
    stopped: () => false,
    progress: (progress: { phase: string }) => {
      if (phases.at(-1) !== progress.phase) phases.push(progress.phase);
    },
  };
}

/** Validate's hooks: never stop, confirm deletes when `confirm`. */
export function validateHooks(confirm = true) {
  return { stopped: () => false, progress: () => undefined, confirmDeletes: async () => confirm };
}
