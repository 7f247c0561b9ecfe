/**
 * The bulk load of a rebuild (ops-scripts.md §1.7 step 3): searchable listings streamed from PostgreSQL in keyset
 * batches (the next batch is read while the current one is written), turned into documents by the one document
 * builder, and sent in bulks bounded by bytes and count, a few in flight at once. Memory stays bounded: at most one
 * batch read ahead, and no new bulk is queued while `concurrency` are in flight and one waits.
 */
import PQueue from 'p-queue';
import type { ListingRepository, ReindexBatch } from '../../ports/listing-repository.ts';
import type { SearchDocument } from '../../ports/search-index.ts';
import { type BulkLimits, bulkChunks, type Sized, sizedDocument } from '../indexing/bulk-chunks.ts';
import { buildSearchDocument } from '../search/search-document.ts';
import type { IdSample } from './id-sample.ts';
import { type RebuildTarget, type RetryPolicy, type WriteFailure, writeWithRetry } from './index-writes.ts';

export interface CopySettings {
  /** Rows per PostgreSQL read (1..1000). */
  readonly batchSize: number;
  readonly bulk: BulkLimits;
  /** Bulk requests in flight. */
  readonly concurrency: number;
  readonly retry: RetryPolicy;
}

export interface CopyProgress {
  readonly documents: number;
  readonly bytes: number;
  readonly failed: number;
  /** The highest listing id read so far. */
  readonly lastId: number;
}

export interface CopyHooks {
  /** Checked between batches: true stops the copy (it then resolves with `stopped`). */
  stopped(): boolean;
  progress(progress: CopyProgress): void;
  /**
   * Every listing up to `afterId` is written (or counted as failed): a resumed copy may start after it. Called in
   * id order as batches complete (bulks finish out of order; only a complete prefix counts), awaited.
   */
  confirmed?(afterId: number, progress: CopyProgress): Promise<void>;
  /** Receives every document id written, for the verification sample. */
  readonly sample: IdSample;
}

export interface CopyReport extends CopyProgress {
  readonly failures: readonly WriteFailure[];
  readonly stopped: boolean;
}

/** At most this many failures are kept with their reasons (the rest are only counted). */
const KEPT_FAILURES = 100;

export async function copyListings(
  listings: ListingRepository,
  settings: CopySettings,
  target: RebuildTarget,
  hooks: CopyHooks,
  /** Where to start (a resumed copy), with what was copied before. */
  start: { readonly afterId: number; readonly documents: number; readonly bytes: number } = {
    afterId: 0,
    documents: 0,
    bytes: 0,
  },
): Promise<CopyReport> {
  const queue = new PQueue({ concurrency: settings.concurrency });
  const failures: WriteFailure[] = [];
  let failed = 0;
  let documents = start.documents;
  let bytes = start.bytes;
  let lastId = start.afterId;
  // Batches in read order with their bulks still in flight; the front ones that are done are confirmed.
  const open: { readonly lastId: number; pending: number; documents: number; bytes: number }[] = [];
  const confirmed = { documents: start.documents, bytes: start.bytes };
  let confirming = Promise.resolve();
  const settle = () => {
    let confirmedId: number | null = null;
    for (let front = open[0]; front !== undefined && front.pending === 0; front = open[0]) {
      open.shift();
      confirmedId = front.lastId;
      confirmed.documents += front.documents;
      confirmed.bytes += front.bytes;
    }
    if (confirmedId === null || hooks.confirmed === undefined) return;
    const at = confirmedId;
    const snapshot = { ...confirmed, failed, lastId: at };
    confirming = confirming.then(() => hooks.confirmed?.(at, snapshot));
  };
  let error: unknown;
  const fail = (failure: WriteFailure) => {
    failed += 1;
    if (failures.length < KEPT_FAILURES) failures.push(failure);
  };
  const read = (afterId: number): Promise<ReindexBatch> =>
    listings.listForReindex({ afterId, limit: settings.batchSize, scope: 'searchable' });

  let next: Promise<ReindexBatch> | null = read(start.afterId);
  let stopped = false;
  while (next !== null && error === undefined) {
    if (hooks.stopped()) {
      stopped = true;
      // The read in flight is not needed any more; let it settle quietly.
      next.catch(() => undefined);
      break;
    }
    let batch: ReindexBatch;
    try {
      batch = await next;
    } catch (cause) {
      error = cause;
      next = null;
      break;
    }
    next = batch.nextAfterId === null ? null : read(batch.nextAfterId);
    const opened = { lastId: batch.items.at(-1)?.id ?? lastId, pending: 0, documents: 0, bytes: 0 };
    open.push(opened);
    const sized: Sized<SearchDocument>[] = [];
    for (const row of batch.items) {
      lastId = Math.max(lastId, row.id);
      try {
        const document = buildSearchDocument(row);
        if (document !== null) sized.push(sizedDocument(document));
      } catch (cause) {
        fail({ id: row.id, reason: `building the document failed: ${messageOf(cause)}` });
      }
    }
    const chunks = bulkChunks(sized, [], settings.bulk);
    opened.pending = chunks.length;
    if (chunks.length === 0) settle();
    for (const chunk of chunks) {
      await queue.onSizeLessThan(1);
      if (error !== undefined) break;
      const items = chunk.upserts.map((entry) => entry.item);
      queue
        .add(async () => {
          const outcome = await writeWithRetry(items, (docs) => target.upsert(docs), settings.retry, hooks.stopped);
          for (const failure of outcome.failures) fail(failure);
          const failedIds = new Set(outcome.failures.map((failure) => failure.id));
          for (const item of items) if (!failedIds.has(item.id)) hooks.sample.offer(item.id);
          documents += outcome.written;
          bytes += chunk.bytes;
          opened.documents += outcome.written;
          opened.bytes += chunk.bytes;
          hooks.progress({ documents, bytes, failed, lastId });
          opened.pending -= 1;
          settle();
        })
        .catch((cause: unknown) => {
          error ??= cause;
        });
    }
  }
  if (next !== null) next.catch(() => undefined);
  await queue.onIdle();
  settle();
  await confirming;
  if (error !== undefined) throw error;
  return { documents, bytes, failed, lastId, failures, stopped };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
