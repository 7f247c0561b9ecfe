/**
 * `validate --fix` (ops-scripts.md §1.8, "Repair"): listings whose document is missing, stale, different or no
 * longer allowed are re-enqueued through the outbox, so the worker writes what the row says now with its version
 * (an entry's version is the higher of the row's and the document's, so the worker's removal of an unsearchable
 * document passes the stored version). Documents without any row are deleted directly, at their own version, and
 * only within `maxDeletes` and after confirmation (a pass that misread PostgreSQL must not empty the index).
 * Dead letters are requeued. `ahead` documents (newer than their row) cannot be repaired by versioned writes and are
 * left for a reindex.
 */
import type { IndexOutbox, OutboxEntry } from '../../ports/index-outbox.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import type { IndexFinding } from './drift.ts';

export interface RepairDeps {
  readonly outbox: IndexOutbox;
  readonly searchIndex: SearchIndex;
}

export interface RepairOptions {
  readonly dryRun: boolean;
  /** More extras than this: none is deleted. */
  readonly maxDeletes: number;
  /** Asked once before deleting (not on a dry run); false skips the deletes. */
  confirmDeletes(count: number): Promise<boolean>;
}

export interface RepairReport {
  readonly dryRun: boolean;
  /** Listings (re-)enqueued, or that would be. */
  readonly enqueued: number;
  readonly deleted: number;
  /** Why extras were not deleted (over `maxDeletes`, declined), or null. */
  readonly deletesSkipped: string | null;
  readonly requeuedDeadLetters: number;
  /** `ahead` listings: only `listings reindex` repairs them. */
  readonly needReindex: readonly number[];
  /** Items the index refused to delete, with reasons. */
  readonly failures: readonly { readonly id: number; readonly reason: string }[];
}

const ENQUEUE_CHUNK = 1000;

export async function repairDrift(
  deps: RepairDeps,
  findings: readonly IndexFinding[],
  deadLetterJobs: readonly number[],
  options: RepairOptions,
): Promise<RepairReport> {
  const entries: OutboxEntry[] = findings
    .filter((finding) => finding.kind !== 'extra' && finding.kind !== 'ahead')
    .map((finding) => ({
      listingId: finding.id,
      version: Math.max(finding.rowVersion, finding.documentVersion, 1),
      operation: finding.kind === 'unsearchable' ? 'delete' : 'update',
    }));
  const extras = findings.filter((finding) => finding.kind === 'extra');
  const needReindex = findings.filter((finding) => finding.kind === 'ahead').map((finding) => finding.id);
  let deletesSkipped: string | null = null;
  if (extras.length > options.maxDeletes) {
    deletesSkipped = `${extras.length} documents without a row exceed --max-deletes ${options.maxDeletes}: none deleted`;
  }
  if (options.dryRun) {
    return {
      dryRun: true,
      enqueued: entries.length,
      deleted: deletesSkipped === null ? extras.length : 0,
      deletesSkipped,
      requeuedDeadLetters: deadLetterJobs.length,
      needReindex,
      failures: [],
    };
  }
  for (let start = 0; start < entries.length; start += ENQUEUE_CHUNK) {
    await deps.outbox.enqueue(entries.slice(start, start + ENQUEUE_CHUNK));
  }
  let deleted = 0;
  const failures: { id: number; reason: string }[] = [];
  if (deletesSkipped === null && extras.length > 0) {
    if (await options.confirmDeletes(extras.length)) {
      const results = await deps.searchIndex.remove(
        extras.map((extra) => ({ id: extra.id, version: Math.max(extra.documentVersion, 1) })),
      );
      for (const result of results) {
        if (result.status === 'ok' || result.status === 'stale') deleted += 1;
        else failures.push({ id: result.id, reason: result.reason });
      }
    } else {
      deletesSkipped = 'deleting documents without a row was declined';
    }
  }
  const requeuedDeadLetters = deadLetterJobs.length === 0 ? 0 : await deps.outbox.requeueDead(deadLetterJobs);
  return {
    dryRun: false,
    enqueued: entries.length,
    deleted,
    deletesSkipped,
    requeuedDeadLetters,
    needReindex,
    failures,
  };
}
