// A burst of listing writes through the real write path (publish: UpdateListing + outbox entry in one PostgreSQL
// transaction) while `listings worker` (the real command, in a child process) indexes them into the real
// OpenSearch; then the worker draining the same listings as a backlog into a fresh index; then, in the same run,
// raw `_bulk` requests of the same documents into a fresh index with the same mapping. Targets (issue 9): worker
// docs/s >= 70 % of raw `_bulk` docs/s, p99 commit-to-searchable lag < 5 s. See bench/README.md for the method.
import { randomBytes } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { buildCoreUseCases } from '../adapters/composition/core-use-cases.ts';
import { bulkBody, indexActions } from '../adapters/opensearch/opensearch-bulk.ts';
import { OpenSearchSearchIndex } from '../adapters/opensearch/opensearch-search-index.ts';
import { createPostgresKnex } from '../adapters/postgres/postgres-knex.ts';
import { NO_METRICS } from '../ports/core-metrics.ts';
import { seedDraftListings } from './support/burst-listings.ts';
import { currentDocuments, drainBacklog, liveBurst } from './support/burst-phases.ts';
import type { BenchDatabase } from './support/database.ts';
import { type LoadResult, percentile } from './support/load.ts';
import { sendRawBulk } from './support/raw-bulk.ts';
import type { BenchReport } from './support/report.ts';
import type { BenchSettings } from './support/settings.ts';
import { startWorkerProcess } from './support/worker-process.ts';

const FULL_BURST = 65_000;
const QUICK_BURST = 10_000;
/** Writers publishing at once (closed loop), each with a pool connection. */
const WRITERS = 32;
/** The worker's defaults: 5 claim loops of 500 jobs, one bulk request per claimed batch. */
const WORKER_CONCURRENCY = 5;
const WORKER_BATCH = 500;

function opensearchUrl(): string {
  const url = process.env.LISTINGS_TEST_OPENSEARCH_URL;
  if (!url) throw new Error('LISTINGS_TEST_OPENSEARCH_URL is not set: run through scripts/bench (npm run bench)');
  return url;
}

export async function run(db: BenchDatabase, settings: BenchSettings): Promise<BenchReport> {
  const count = settings.quick ? QUICK_BURST : FULL_BURST;
  const url = opensearchUrl();
  const alias = `bench_burst_${randomBytes(4).toString('hex')}`;
  // Four aliases, each over a fresh index with the production mapping and settings.
  const indices = ['live', 'backlog', 'bare', 'raw'].map(
    (name) => new OpenSearchSearchIndex({ addresses: [url], alias: `${alias}_${name}` }),
  );
  const live = indices[0] as OpenSearchSearchIndex;
  const client = new Client({ node: url });
  const knex = createPostgresKnex({ url: db.url, poolMax: WRITERS });
  const worker = (name: string, fallback?: 'none') =>
    startWorkerProcess({
      dbUrl: db.url,
      opensearchUrl: url,
      alias: `${alias}_${name}`,
      concurrency: WORKER_CONCURRENCY,
      ...(fallback === undefined ? {} : { fallback }),
    });
  try {
    const ids = await seedDraftListings(knex, db.categoryId, count);
    for (const index of indices) await index.ensureIndex();
    const core = buildCoreUseCases({ knex, cache: undefined, metrics: NO_METRICS, searchIndex: live });

    const liveWorker = await worker('live');
    const burst = await liveBurst({
      client,
      alias: `${alias}_live`,
      status: core.listings.status,
      ids,
      writers: WRITERS,
    });
    await liveWorker.stop();

    const backlogWorker = await worker('backlog');
    const drained = await drainBacklog({ knex, client, alias: `${alias}_backlog`, ids });
    await backlogWorker.stop();
    // The same without keeping PostgreSQL's fallback table: what the fallback costs the worker.
    const bareWorker = await worker('bare', 'none');
    const bare = await drainBacklog({ knex, client, alias: `${alias}_bare`, ids });
    await bareWorker.stop();

    const documents = await currentDocuments(knex, ids);
    const bodies: Buffer[] = [];
    for (let start = 0; start < documents.length; start += WORKER_BATCH) {
      const actions = indexActions(`${alias}_raw_write`, documents.slice(start, start + WORKER_BATCH));
      bodies.push(bulkBody(actions));
    }
    const baseline = await sendRawBulk(client, bodies, WORKER_CONCURRENCY, `${alias}_raw`);
    const kib = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0) / bodies.length / 1024;

    const rows: LoadResult[] = [
      {
        label: 'publish burst: writes/s, write ms',
        opsPerSec: burst.writesPerSec,
        p50Ms: burst.writeP50Ms,
        p99Ms: burst.writeP99Ms,
        errors: burst.writeErrors,
      },
      {
        label: 'worker during the burst: docs/s, lag ms',
        opsPerSec: burst.docsPerSec,
        p50Ms: percentile(burst.lagsMs, 0.5),
        p99Ms: percentile(burst.lagsMs, 0.99),
        errors: burst.unseen,
      },
      {
        label: 'worker draining a backlog: docs/s',
        opsPerSec: drained.docsPerSec,
        p50Ms: Number.NaN,
        p99Ms: Number.NaN,
        errors: 0,
      },
      {
        label: 'same, SEARCH_FALLBACK=none: docs/s',
        opsPerSec: bare.docsPerSec,
        p50Ms: Number.NaN,
        p99Ms: Number.NaN,
        errors: 0,
      },
      {
        label: 'raw _bulk (baseline): docs/s, request ms',
        opsPerSec: documents.length / baseline.seconds,
        p50Ms: baseline.p50Ms,
        p99Ms: baseline.p99Ms,
        errors: baseline.errors,
      },
    ];
    const [, during, backlogRow, bareRow, rawRow] = rows as [
      LoadResult,
      LoadResult,
      LoadResult,
      LoadResult,
      LoadResult,
    ];
    return {
      title: `index-burst: ${count} listings published -> listings worker -> OpenSearch 2.19 vs raw _bulk`,
      setup:
        `${WRITERS} writers; worker ${WORKER_CONCURRENCY} loops x ${WORKER_BATCH} jobs; raw ${bodies.length} requests ` +
        `of ${WORKER_BATCH} docs (${kib.toFixed(0)} KiB avg), ${WORKER_CONCURRENCY} at a time; lag sampled on ` +
        `${burst.lagsMs.length} writes (errors column: samples never seen)`,
      rows,
      comparisons: [
        {
          what: 'worker docs/s (backlog)',
          check: { kind: 'ratio', ours: backlogRow.label, baseline: rawRow.label, min: 0.7 },
        },
        {
          what: 'worker docs/s without the fallback table',
          check: { kind: 'none', ours: bareRow.label, baseline: rawRow.label },
        },
        {
          what: 'worker docs/s (burst, bounded by writes)',
          check: { kind: 'none', ours: during.label, baseline: rawRow.label },
        },
        { what: 'commit -> searchable lag', check: { kind: 'p99', ours: during.label, maxMs: 5_000 } },
      ],
    };
  } finally {
    await client.indices.delete({ index: `${alias}_*`, ignore_unavailable: true }).catch(() => {});
    await Promise.all([...indices.map((index) => index.close()), client.close()]);
    await knex.destroy();
  }
}
