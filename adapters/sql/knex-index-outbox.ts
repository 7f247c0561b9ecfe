import type {
  ClaimedJob,
  ClaimRequest,
  DeadLetter,
  FailOutcome,
  IndexOutbox,
  JobFailure,
  JobFailureOf,
  OutboxEntry,
  OutboxMark,
  OutboxStats,
} from '../../ports/index-outbox.ts';
import {
  CLAIMED_COLUMNS,
  type ClaimedRow,
  decodeMark,
  encodeMark,
  type OutboxRow,
  toClaimedJob,
  toDeadLetter,
  toOutboxEntry,
} from './outbox-rows.ts';
import type { SqlSession } from './sql-session.ts';

/** Claims take this transaction-level advisory lock (any fixed bigint, unique among our locks). */
export const OUTBOX_CLAIM_LOCK_KEY = 0x6c69_7374_0002n;
const ERROR_MAX_LENGTH = 2000;
const DEFAULT_PURGE_LIMIT = 10_000;
/** A failed job goes back for a retry (else it is dead): not permanent, and attempts remain. */
const RETRIES = '(NOT j.permanent AND q.retry_count < q.max_retries)';
/**
 * Due rows a claim locks per job asked for: a few spare ones for listings that have more than one due entry (a
 * pending one beside a failed one: rare). Every candidate is row-locked (a heap write), so spares are not free.
 */
const CANDIDATES_PER_JOB = 1.25;
/**
 * At least every this many claims, one starts from the first due id and looks at expired leases (migration
 * 20261126053000): how long a due row below the resume point can wait while a backlog keeps the claims full.
 */
const FULL_CLAIM_EVERY = 16;
/**
 * The claimed rows' columns a job is made of, not `*`: the others (four more timestamps, the status, the error, the
 * change's xid) were formatted by PostgreSQL and parsed by the driver for every claimed job, and then dropped.
 */
const CLAIM = `SELECT ${CLAIMED_COLUMNS.join(', ')} FROM claim_indexing_jobs(?, ?, ?, ?, ?::bigint, ?::bigint)`;

/**
 * The indexing outbox on `indexing_queue` (migrations 000006, 000008, 20261125000020, 20261126010000 and
 * 20261126053000), after pg-boss and graphile-worker:
 *
 * - enqueue coalesces on the partial unique index `(listing_id) WHERE status = 'pending'`.
 * - claim is one call of `claim_indexing_jobs` (migrations 20261125000020, 20261126010000, 20261126053000), one
 *   round trip: it serialises claimers with an advisory lock held only while the server runs it, which is what lets
 *   it promise that two workers never hold jobs of one listing at once (two claims running side by side could each
 *   pick a different entry of the same listing). `FOR UPDATE SKIP LOCKED` still passes over rows that write
 *   transactions hold (a pending row being coalesced), so a claim never waits for a user's write. It reads the
 *   leased listings of all its candidates in one lookup (20261126053000; a probe per candidate could be planned as a
 *   walk of every leased entry, dead ones included), and while its claims come back full it resumes after the
 *   greatest id it claimed, so it does not walk the entries earlier claims left in the due index until vacuum.
 * - complete and fail compare-and-set on (id, locked_by, locked_at), a whole batch per statement (unnest of the
 *   jobs' arrays); `locked_at` is stored to the millisecond so the Date the worker holds matches it exactly.
 * - mark / changesSince read (change_xid, id) below the oldest running transaction: see migration 000008; barrier is
 *   a fresh transaction id, passed once the oldest running transaction is past it.
 */
export class KnexIndexOutbox implements IndexOutbox {
  readonly #session: SqlSession;
  /** The greatest id this outbox claimed while its claims came back full; 0: the next claim starts from the first. */
  #resumeAfter = 0;
  /** Claims since the last one from the first due id. */
  #resumedClaims = 0;
  /** The claim in flight, settled or not: the next waits for it. */
  #lastClaim: Promise<unknown> = Promise.resolve();

  constructor(session: SqlSession) {
    this.#session = session;
  }

  async enqueue(entries: readonly OutboxEntry[]): Promise<void> {
    // One row per listing: ON CONFLICT DO UPDATE may not touch a row twice in one statement.
    const last = new Map(entries.map((entry) => [entry.listingId, entry]));
    if (last.size === 0) return;
    const rows = [...last.values()];
    await this.#session.query((db) =>
      db.raw(
        `INSERT INTO indexing_queue (listing_id, operation, listing_version)
         SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[])
         ON CONFLICT (listing_id) WHERE status = 'pending' DO UPDATE SET
           operation = excluded.operation,
           listing_version = GREATEST(indexing_queue.listing_version, excluded.listing_version),
           change_xid = pg_current_xact_id(),
           updated_at = now()`,
        [rows.map((row) => row.listingId), rows.map((row) => row.operation), rows.map((row) => row.version)],
      ),
    );
  }

  /**
   * One claim at a time per outbox: the next starts when the previous has answered, from the resume point it left.
   * The server runs claims one at a time anyway (the advisory lock); sent side by side, as a worker's loops did, each
   * waited there with the resume point of its sending, and walked the entries the claims ahead of it had just taken.
   */
  claim(request: ClaimRequest): Promise<ClaimedJob[]> {
    const claimed = this.#lastClaim.then(() => this.#claim(request));
    this.#lastClaim = claimed.catch(() => undefined);
    return claimed;
  }

  async #claim(request: ClaimRequest): Promise<ClaimedJob[]> {
    const limit = Math.max(1, Math.min(request.limit, 1000));
    const resumeAfter = this.#resumedClaims >= FULL_CLAIM_EVERY - 1 ? 0 : this.#resumeAfter;
    this.#resumedClaims = resumeAfter === 0 ? 0 : this.#resumedClaims + 1;
    const jobs = await this.#claimAfter(request, limit, resumeAfter);
    if (jobs.length === limit) {
      this.#resumeAfter = Math.max(this.#resumeAfter, jobs.at(-1)?.id ?? 0);
      return jobs;
    }
    this.#resumeAfter = 0;
    if (resumeAfter === 0) return jobs;
    // The queue past the resume point ran dry: what is still due lies below it (retries, skipped rows, leases).
    this.#resumedClaims = 0;
    return [...jobs, ...(await this.#claimAfter(request, limit - jobs.length, 0))];
  }

  /** One call of `claim_indexing_jobs`: due jobs with an id above `afterId` (0: all, and expired leases). */
  #claimAfter(request: ClaimRequest, limit: number, afterId: number): Promise<ClaimedJob[]> {
    return this.#session.query(async (db) => {
      const claimed = (await db.raw(CLAIM, [
        request.workerId,
        limit,
        Math.max(1, Math.round(request.leaseMs)),
        Math.ceil(limit * CANDIDATES_PER_JOB) + 10,
        OUTBOX_CLAIM_LOCK_KEY.toString(),
        afterId,
      ])) as { rows: ClaimedRow[] };
      return claimed.rows.map(toClaimedJob);
    });
  }

  async complete(job: ClaimedJob): Promise<boolean> {
    const [completed] = await this.completeMany([job]);
    return completed === true;
  }

  completeMany(jobs: readonly ClaimedJob[]): Promise<readonly boolean[]> {
    if (jobs.length === 0) return Promise.resolve([]);
    return this.#session.query(async (db) => {
      const result = (await db.raw(
        `UPDATE indexing_queue AS q SET status = 'completed', processed_at = now(), lease_expires_at = NULL,
           updated_at = now()
         FROM unnest(?::bigint[], ?::text[], ?::timestamptz[]) AS j(id, locked_by, locked_at)
         WHERE q.id = j.id AND q.status = 'processing' AND q.locked_by = j.locked_by AND q.locked_at = j.locked_at
         RETURNING q.id`,
        leaseColumns(jobs),
      )) as { rows: { id: number | string }[] };
      const done = new Set(result.rows.map((row) => Number(row.id)));
      return jobs.map((job) => done.has(job.id));
    });
  }

  async fail(job: ClaimedJob, failure: JobFailure): Promise<FailOutcome> {
    const [outcome] = await this.failMany([{ ...failure, job }]);
    return outcome ?? 'lease_lost';
  }

  failMany(failures: readonly JobFailureOf[]): Promise<readonly FailOutcome[]> {
    if (failures.length === 0) return Promise.resolve([]);
    const jobs = failures.map((failure) => failure.job);
    return this.#session.query(async (db) => {
      const result = (await db.raw(
        `WITH j AS (
           SELECT * FROM unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::boolean[])
             AS j(id, locked_by, locked_at, retry_at, error, permanent)
         )
         UPDATE indexing_queue AS q SET
           status = CASE WHEN ${RETRIES} THEN 'failed' ELSE 'dead' END,
           available_at = CASE WHEN ${RETRIES} THEN j.retry_at ELSE q.available_at END,
           processed_at = CASE WHEN ${RETRIES} THEN NULL ELSE now() END,
           error_message = j.error, lease_expires_at = NULL, updated_at = now()
         FROM j
         WHERE q.id = j.id AND q.status = 'processing' AND q.locked_by = j.locked_by AND q.locked_at = j.locked_at
         RETURNING q.id, q.status`,
        [
          ...leaseColumns(jobs),
          failures.map((failure) => failure.retryAt.toISOString()),
          failures.map((failure) => failure.error.slice(0, ERROR_MAX_LENGTH)),
          failures.map((failure) => failure.permanent === true),
        ],
      )) as { rows: { id: number | string; status: string }[] };
      const settled = new Map(result.rows.map((row) => [Number(row.id), row.status]));
      return jobs.map((job): FailOutcome => {
        const status = settled.get(job.id);
        return status === undefined ? 'lease_lost' : status === 'dead' ? 'dead' : 'retry';
      });
    });
  }

  deadLetters(options: { readonly limit: number; readonly afterId?: number }): Promise<DeadLetter[]> {
    return this.#session.query(async (db) => {
      const rows = (await db('indexing_queue')
        .where({ status: 'dead' })
        .where('id', '>', options.afterId ?? 0)
        .orderBy('id')
        .limit(Math.max(1, options.limit))) as OutboxRow[];
      return rows.map(toDeadLetter);
    });
  }

  /**
   * Dead rows become one fresh pending entry per listing (the highest version, the newest operation), coalesced into
   * the listing's pending entry when it has one, so the unique pending index is never in the way.
   */
  requeueDead(ids?: readonly number[]): Promise<number> {
    if (ids !== undefined && ids.length === 0) return Promise.resolve(0);
    return this.#session.query(async (db) => {
      const result = (await db.raw(
        `WITH dead AS (
           DELETE FROM indexing_queue WHERE status = 'dead' ${ids === undefined ? '' : 'AND id = ANY(?::bigint[])'}
           RETURNING id, listing_id, operation, listing_version
         ), requeued AS (
           INSERT INTO indexing_queue (listing_id, operation, listing_version)
           SELECT DISTINCT ON (listing_id) listing_id, operation, max(listing_version) OVER (PARTITION BY listing_id)
           FROM dead ORDER BY listing_id, id DESC
           ON CONFLICT (listing_id) WHERE status = 'pending' DO UPDATE SET
             listing_version = GREATEST(indexing_queue.listing_version, excluded.listing_version),
             change_xid = pg_current_xact_id(),
             updated_at = now()
           RETURNING id
         )
         SELECT (SELECT count(*) FROM dead) AS requeued, (SELECT count(*) FROM requeued) AS entries`,
        ids === undefined ? [] : [[...ids]],
      )) as { rows: { requeued: number }[] };
      return Number(result.rows[0]?.requeued ?? 0);
    });
  }

  purgeCompleted(olderThan: Date, limit = DEFAULT_PURGE_LIMIT): Promise<number> {
    return this.#session.query(async (db) => {
      const result = (await db.raw(
        `DELETE FROM indexing_queue WHERE id IN (
           SELECT id FROM indexing_queue WHERE status = 'completed' AND processed_at < ?::timestamptz
           ORDER BY processed_at LIMIT ?)
         RETURNING id`,
        [olderThan, Math.max(1, limit)],
      )) as { rows: unknown[] };
      return result.rows.length;
    });
  }

  stats(): Promise<OutboxStats> {
    return this.#session.query(async (db) => {
      // One count per status, each answered from the partial index holding that status (migration 20261126103000
      // dropped the index of all unfinished rows, which every enqueue and claim wrote). The failed count names the due
      // index's predicate: with `status = 'failed'` alone the planner read the whole table.
      const result = (await db.raw(
        `SELECT (SELECT count(*) FROM indexing_queue WHERE status = 'pending') AS pending,
                (SELECT count(*) FROM indexing_queue WHERE status = 'processing') AS processing,
                (SELECT count(*) FROM indexing_queue WHERE status IN ('pending', 'failed') AND status = 'failed')
                  AS failed,
                (SELECT count(*) FROM indexing_queue WHERE status = 'dead') AS dead,
                (SELECT floor(extract(epoch FROM now() - min(created_at)) * 1000) FROM indexing_queue
                  WHERE status IN ('pending', 'failed') AND available_at <= now()) AS oldest_due_age_ms`,
      )) as { rows: Record<string, number | string | null>[] };
      const row = result.rows[0] ?? {};
      const age = row.oldest_due_age_ms ?? null;
      return {
        pending: Number(row.pending ?? 0),
        processing: Number(row.processing ?? 0),
        failed: Number(row.failed ?? 0),
        dead: Number(row.dead ?? 0),
        oldestDueAgeMs: age === null ? null : Math.max(0, Number(age)),
      };
    });
  }

  mark(): Promise<OutboxMark> {
    return this.#session.query(async (db) => {
      const result = (await db.raw('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xid')) as {
        rows: { xid: string }[];
      };
      // Everything a transaction older than the oldest running one wrote is before the mark; the rest is after.
      return encodeMark({ xid: result.rows[0]?.xid ?? '0', id: 0 });
    });
  }

  barrier(): Promise<OutboxMark> {
    return this.#session.query(async (db) => {
      // A fresh transaction id: every transaction that wrote an entry before now has a lower one. (A snapshot's xmax
      // is not enough: it is the newest completed id plus one, and a writer that began earlier may be above it.)
      const result = (await db.raw('SELECT pg_current_xact_id()::text AS xid')) as { rows: { xid: string }[] };
      return encodeMark({ xid: result.rows[0]?.xid ?? '0', id: 0 });
    });
  }

  async passed(barrier: OutboxMark): Promise<boolean> {
    const position = decodeMark(barrier);
    return await this.#session.query(async (db) => {
      const result = (await db.raw('SELECT pg_snapshot_xmin(pg_current_snapshot()) > ?::xid8 AS passed', [
        position.xid,
      ])) as { rows: { passed: boolean }[] };
      // No transaction below the barrier still runs: changesSince shows every id below xmin.
      return result.rows[0]?.passed === true;
    });
  }

  changesSince(
    since: OutboxMark,
    limit: number,
  ): Promise<{ readonly entries: readonly OutboxEntry[]; readonly next: OutboxMark }> {
    const position = decodeMark(since);
    return this.#session.query(async (db) => {
      const result = (await db.raw(
        `SELECT id, listing_id, operation, listing_version, change_xid::text AS change_xid FROM indexing_queue
         WHERE (change_xid, id) > (?::xid8, ?::bigint)
           AND change_xid < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY change_xid, id
         LIMIT ?`,
        [position.xid, position.id, Math.max(1, limit)],
      )) as {
        rows: (Pick<OutboxRow, 'id' | 'listing_id' | 'operation' | 'listing_version'> & { change_xid: string })[];
      };
      const last = result.rows.at(-1);
      return {
        entries: result.rows.map(toOutboxEntry),
        next: last === undefined ? since : encodeMark({ xid: last.change_xid, id: last.id }),
      };
    });
  }
}

/** `(id, locked_by, locked_at)` arrays: the compare-and-set key of each job's lease. */
function leaseColumns(jobs: readonly ClaimedJob[]): [number[], string[], string[]] {
  return [jobs.map((job) => job.id), jobs.map((job) => job.workerId), jobs.map((job) => job.lockedAt.toISOString())];
}
