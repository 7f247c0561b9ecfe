import type { Client } from '@opensearch-project/opensearch';
import type { Knex } from 'knex';
import { createPlainRepositories } from '../../adapters/sql/sql-repositories.ts';
import type { Principal } from '../../ports/principal.ts';
import type { SearchDocument } from '../../ports/search-index.ts';
import type { ChangeListingStatus } from '../../src/listings/change-listing-status.ts';
import { buildSearchDocument } from '../../src/search/search-document.ts';
import { percentile } from './load.ts';
import { VisibilityProbe } from './visibility-probe.ts';

const ADMIN: Principal = { subject: '1', userId: 1, roles: ['admin'], kind: 'user' };
/** Lag is measured on about this many writes of the burst. */
const LAG_SAMPLES = 2_000;
/** A phase that has not finished by then failed (a stuck worker must not hang the run). */
const PHASE_TIMEOUT_MS = 15 * 60_000;

export interface LiveBurst {
  readonly writesPerSec: number;
  readonly writeP50Ms: number;
  readonly writeP99Ms: number;
  readonly writeErrors: number;
  /** Documents / (first write -> every document searchable). */
  readonly docsPerSec: number;
  readonly lagsMs: readonly number[];
  readonly unseen: number;
}

/**
 * Publishes every draft once through the use case, `writers` at a time, while a worker indexes into `alias`;
 * samples commit-to-searchable lag with a {@link VisibilityProbe} and waits until every document is searchable.
 */
export async function liveBurst(options: {
  readonly client: Client;
  readonly alias: string;
  readonly status: ChangeListingStatus;
  readonly ids: readonly number[];
  readonly writers: number;
}): Promise<LiveBurst> {
  const { client, alias, ids } = options;
  const probe = new VisibilityProbe(client, alias);
  probe.start();
  const every = Math.max(1, Math.floor(ids.length / LAG_SAMPLES));
  const latencies: number[] = [];
  let next = 0;
  let writeErrors = 0;
  const started = performance.now();
  const writer = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      const id = ids[i] as number;
      const sent = performance.now();
      try {
        await options.status.publish(ADMIN, { id });
      } catch {
        writeErrors += 1;
        continue;
      }
      const committed = performance.now();
      latencies.push(committed - sent);
      if (i % every === 0) probe.track(id, committed);
    }
  };
  await Promise.all(Array.from({ length: options.writers }, writer));
  const writeSeconds = (performance.now() - started) / 1000;
  const searchableAt = await countReached(client, alias, latencies.length);
  const { lagsMs, unseen } = await probe.finish(30_000);
  latencies.sort((a, b) => a - b);
  return {
    writesPerSec: latencies.length / writeSeconds,
    writeP50Ms: percentile(latencies, 0.5),
    writeP99Ms: percentile(latencies, 0.99),
    writeErrors,
    docsPerSec: latencies.length / ((searchableAt - started) / 1000),
    lagsMs: lagsMs.sort((a, b) => a - b),
    unseen,
  };
}

/**
 * The worker's capacity with a backlog: every listing enqueued at its current version in one transaction (as
 * `ResetReindexFlags` does), with a started, idle worker writing into the empty index `alias`. Documents / (commit
 * of the backlog -> every job completed, then one `_refresh` of the alias -> every document searchable). The
 * refresh ends it as it ends the raw `_bulk` baseline (raw-bulk.ts): waiting for the index's own 1 s refresh instead
 * added up to a second to the worker's time only (half a second on average, a sixth of a 10 000-document drain).
 */
export async function drainBacklog(options: {
  readonly knex: Knex;
  readonly client: Client;
  readonly alias: string;
  readonly ids: readonly number[];
}): Promise<{ readonly docsPerSec: number; readonly seconds: number }> {
  const { knex, ids } = options;
  // In slices: one statement takes at most 65,535 bind parameters.
  const rows: { id: number | string; version: number | string }[] = [];
  for (let start = 0; start < ids.length; start += 10_000) {
    const slice = ids.slice(start, start + 10_000);
    rows.push(...((await knex('listings').whereIn('id', slice).select('id', 'version')) as typeof rows));
  }
  const entries = rows.map((row) => ({
    listingId: Number(row.id),
    version: Number(row.version),
    operation: 'index' as const,
  }));
  const started = performance.now();
  await createPlainRepositories(knex).outbox.enqueue(entries);
  await queueDrained(knex);
  await options.client.transport.request({ method: 'POST', path: `/${options.alias}/_refresh` });
  const searchableAt = await countReached(options.client, options.alias, entries.length);
  const seconds = (searchableAt - started) / 1000;
  return { docsPerSec: entries.length / seconds, seconds };
}

/**
 * Resolves once no job is waiting, leased or due for a retry (polled every 50 ms). Two probes, each of a partial
 * index holding only those statuses (the due index, the lease-expiry index), so a poll never walks the completed rows.
 */
async function queueDrained(knex: Knex): Promise<void> {
  const deadline = performance.now() + PHASE_TIMEOUT_MS;
  for (;;) {
    const result = (await knex.raw(
      `SELECT EXISTS (SELECT 1 FROM indexing_queue WHERE status IN ('pending', 'failed'))
           OR EXISTS (SELECT 1 FROM indexing_queue WHERE status = 'processing') AS busy`,
    )) as { rows: { busy: boolean }[] };
    if (result.rows[0]?.busy === false) return;
    if (performance.now() > deadline) throw new Error('the worker did not drain the indexing queue in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `performance.now()` when a search of the alias first counts `expected` documents (polled every 50 ms). */
export async function countReached(client: Client, alias: string, expected: number): Promise<number> {
  const deadline = performance.now() + PHASE_TIMEOUT_MS;
  for (;;) {
    const response = await client.transport.request({ method: 'GET', path: `/${alias}/_count` });
    const now = performance.now();
    const { count } = response.body as { count: number };
    if (count >= expected) return now;
    if (now > deadline) throw new Error(`only ${count} of ${expected} documents searchable in ${alias}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The listings' search documents as the worker builds them now (all published: every one is searchable). */
export async function currentDocuments(knex: Knex, ids: readonly number[]): Promise<SearchDocument[]> {
  const listings = createPlainRepositories(knex).listings;
  const wanted = new Set(ids);
  const documents: SearchDocument[] = [];
  const last = Math.max(...ids);
  let afterId: number | null = Math.min(...ids) - 1;
  while (afterId !== null && afterId < last) {
    const batch = await listings.listForReindex({ afterId, limit: 1000, scope: 'searchable' });
    for (const listing of batch.items) {
      const document = wanted.has(listing.id) ? buildSearchDocument(listing) : null;
      if (document !== null) documents.push(document);
    }
    afterId = batch.nextAfterId;
  }
  return documents;
}
