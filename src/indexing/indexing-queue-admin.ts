/**
 * Operator actions on the indexing queue (`listings queue status | retry-dead | purge`): read its depth, put dead
 * letters back once the cause is fixed, and delete old completed jobs so the table stays small (the original never
 * purged). The CLI calls these; so could an admin route.
 */
import type { Clock } from '../../ports/clock.ts';
import type { DeadLetter, IndexOutbox, OutboxStats } from '../../ports/index-outbox.ts';
import { Violations } from '../domain/validation.ts';

export interface IndexingQueueAdminDeps {
  readonly outbox: IndexOutbox;
  readonly clock: Clock;
}

export interface RetryDeadResult {
  readonly dryRun: boolean;
  /** Dead letters made pending again (with `dryRun`: that would be). */
  readonly requeued: number;
  /** Asked-for ids that are not dead letters (unknown, or not dead): left alone. */
  readonly notDead: readonly number[];
}

export interface PurgeResult {
  readonly dryRun: boolean;
  /** Completed jobs processed before this instant are (or would be) deleted. */
  readonly before: Date;
  /** Deleted rows; null for a dry run (the outbox port cannot count completed jobs). */
  readonly purged: number | null;
}

/** Rows deleted per statement, so a purge never holds a long lock on the queue. */
const PURGE_CHUNK = 10_000;
const DEAD_PAGE = 500;

export class IndexingQueueAdmin {
  readonly #deps: IndexingQueueAdminDeps;

  constructor(deps: IndexingQueueAdminDeps) {
    this.#deps = deps;
  }

  status(): Promise<OutboxStats> {
    return this.#deps.outbox.stats();
  }

  /** Dead letters, oldest first, keyset-paged after `afterId`. */
  deadLetters(options: { readonly limit: number; readonly afterId?: number }): Promise<DeadLetter[]> {
    return this.#deps.outbox.deadLetters(options);
  }

  /** Requeues every dead letter, or those of `ids` (dead-letter ids as `queue status --json` shows them). */
  async retryDead(options: { readonly ids?: readonly number[]; readonly dryRun?: boolean }): Promise<RetryDeadResult> {
    const ids = options.ids === undefined ? undefined : checkIds(options.ids);
    const dead = await this.#allDeadIds();
    const notDead = ids === undefined ? [] : ids.filter((id) => !dead.has(id));
    const matching = ids === undefined ? dead.size : ids.length - notDead.length;
    if (options.dryRun === true) return { dryRun: true, requeued: matching, notDead };
    const requeued = await this.#deps.outbox.requeueDead(ids?.filter((id) => dead.has(id)));
    return { dryRun: false, requeued, notDead };
  }

  /** Deletes completed jobs processed more than `olderThanMs` ago, in chunks. */
  async purge(options: { readonly olderThanMs: number; readonly dryRun?: boolean }): Promise<PurgeResult> {
    const v = new Violations();
    if (!Number.isFinite(options.olderThanMs) || options.olderThanMs < 0) {
      v.add('older_than', 'negative', 'older-than must be a duration of 0 or more');
    }
    v.throwIfAny();
    const before = new Date(this.#deps.clock.now().getTime() - options.olderThanMs);
    if (options.dryRun === true) return { dryRun: true, before, purged: null };
    let purged = 0;
    for (;;) {
      const deleted = await this.#deps.outbox.purgeCompleted(before, PURGE_CHUNK);
      purged += deleted;
      if (deleted < PURGE_CHUNK) break;
    }
    return { dryRun: false, before, purged };
  }

  async #allDeadIds(): Promise<Set<number>> {
    const ids = new Set<number>();
    let afterId = 0;
    for (;;) {
      const page = await this.#deps.outbox.deadLetters({ limit: DEAD_PAGE, afterId });
      for (const letter of page) ids.add(letter.id);
      const last = page.at(-1);
      if (last === undefined || page.length < DEAD_PAGE) return ids;
      afterId = last.id;
    }
  }
}

function checkIds(ids: readonly number[]): number[] {
  const v = new Violations();
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id <= 0)
      v.add('id', 'must_be_positive', `job id must be a positive integer, got ${id}`);
  }
  v.throwIfAny();
  return [...new Set(ids)];
}
