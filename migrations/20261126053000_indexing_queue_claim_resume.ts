import type { Knex } from 'knex';

/**
 * `claim_indexing_jobs(..., after_id)`: a claim whose cost does not grow with the jobs completed before it.
 *
 * A claim changes a row's status, which no update does in place (partial indexes depend on it): the row's old
 * versions keep their entries in the queue's indexes until vacuum removes them, or until a scan finds a version dead
 * to every snapshot and marks its entry. While any snapshot of the database is older than those claims (a backup's
 * `pg_dump`, a long report; on a shared server other databases' transactions delay the marking too), scans fetch the
 * heap row of every such entry. Two scans did so per claim:
 *
 * - "no live lease on this listing", probed for each of ~635 candidates (20261126010000 made it a probe). With the
 *   statistics saying almost no row is `processing` (true whenever ANALYZE ran between bursts), the planner answered
 *   the probe from `idx_indexing_queue_locked_at` or `idx_indexing_queue_status` (a scan of every `processing` entry,
 *   dead ones included, filtered on `listing_id`) instead of `idx_indexing_queue_lease`: 635 walks of the whole
 *   history per claim, 1 s per claim on a queue that had completed 100 000 jobs. Now the candidates are found first
 *   and their leased listings are read in one statement for all of them (`listing_id = ANY(...)`), so whatever index
 *   the planner picks, it walks at most once per claim. `idx_indexing_queue_locked_at` is dropped: no statement reads
 *   it, and every claim wrote it.
 * - the due index read from its first id: its first entries are the pending versions of the rows claimed before, so
 *   within one backlog the n-th claim walked the n-1 batches before it. `after_id > 0` starts past them (and skips
 *   the expired-lease scans, whose index has the same history); the adapter passes the greatest id it claimed while
 *   its claims come back full, goes back to 0 when a claim past that id comes back short (it then claims the rest
 *   from the first due id at once) and for every 16th claim, so a due row below the resume point (a retry whose time
 *   came, a row skipped while a writer held it, a job held back by its listing's live lease, an expired lease) waits
 *   at most 15 claims. The lock, the lease and one job per listing are unchanged: any number of workers share the
 *   queue, each process with its own resume point.
 *
 * Measured (10 000 jobs enqueued, claimed 500 at a time and completed, a snapshot held open in the same database,
 * load 6-7 from other work): on a queue with 100 000 completed jobs, 392-1 479 ms of PostgreSQL CPU per 1 000 jobs
 * claimed before, 21-25 after; a 50 000-job backlog on it, 38 ms from the first id each time, 25 resuming.
 */
const DEAD_EXPIRED = `
      UPDATE indexing_queue SET status = 'dead', processed_at = now(), lease_expires_at = NULL,
        error_message = 'lease expired on attempt ' || retry_count || ' of ' || max_retries
          || ' (worker ' || COALESCE(locked_by, 'unknown') || ')'
      WHERE status = 'processing' AND (lease_expires_at IS NULL OR lease_expires_at <= now())
        AND retry_count >= max_retries;`;

/**
 * Candidates first (due rows in id order, locked; with `after_id` 0 or NULL also expired leases), then which of their
 * listings have a live lease, in one statement for all of them; then one job per listing as in 20261126010000.
 */
const RESUMING = `
    CREATE FUNCTION claim_indexing_jobs(worker text, max_jobs integer, lease_ms double precision,
                                        candidates integer, lock_key bigint, after_id bigint)
    RETURNS SETOF indexing_queue LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
      resume_after bigint := COALESCE(after_id, 0);
    BEGIN
      PERFORM pg_advisory_xact_lock(lock_key);
      IF resume_after <= 0 THEN${DEAD_EXPIRED}
      END IF;
      RETURN QUERY
      WITH due AS MATERIALIZED (
        SELECT q.id, q.listing_id FROM indexing_queue AS q
        WHERE q.status IN ('pending', 'failed') AND q.available_at <= now() AND q.id > resume_after
        ORDER BY q.id LIMIT candidates
        FOR UPDATE OF q SKIP LOCKED
      ), expired AS MATERIALIZED (
        SELECT q.id, q.listing_id FROM indexing_queue AS q
        WHERE resume_after <= 0
          AND q.status = 'processing' AND (q.lease_expires_at IS NULL OR q.lease_expires_at <= now())
        ORDER BY q.id LIMIT candidates
        FOR UPDATE OF q SKIP LOCKED
      ), found AS MATERIALIZED (
        SELECT * FROM due UNION ALL SELECT * FROM expired
      ), leased AS MATERIALIZED (
        SELECT DISTINCT o.listing_id FROM indexing_queue AS o
        WHERE o.listing_id = ANY(ARRAY(SELECT found.listing_id FROM found))
          AND o.status = 'processing' AND o.lease_expires_at > now()
      ), one_per_listing AS (
        SELECT DISTINCT ON (d.listing_id) d.id
        FROM found AS d
        WHERE NOT EXISTS (SELECT 1 FROM leased AS l WHERE l.listing_id = d.listing_id)
        ORDER BY d.listing_id, d.id
      ), taken AS (
        SELECT t.id FROM one_per_listing AS t ORDER BY t.id LIMIT max_jobs
      ), claimed AS (
        UPDATE indexing_queue AS q SET
          status = 'processing', locked_by = worker, locked_at = date_trunc('milliseconds', now()),
          lease_expires_at = now() + lease_ms * interval '1 millisecond', retry_count = q.retry_count + 1
        WHERE q.id = ANY(ARRAY(SELECT taken.id FROM taken))
        RETURNING q.*
      )
      SELECT * FROM claimed ORDER BY claimed.id;
    END;
    $$;`;

/** The 20261126010000 function, as it was. */
const FROM_START = `
    CREATE OR REPLACE FUNCTION claim_indexing_jobs(worker text, max_jobs integer, lease_ms double precision,
                                                   candidates integer, lock_key bigint)
    RETURNS SETOF indexing_queue LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(lock_key);${DEAD_EXPIRED}
      RETURN QUERY
      WITH waiting AS (
        SELECT q.id, q.listing_id FROM indexing_queue AS q
        WHERE q.status IN ('pending', 'failed') AND q.available_at <= now()
          AND NOT EXISTS (
            SELECT 1 FROM indexing_queue AS o
            WHERE o.listing_id = q.listing_id AND o.id <> q.id AND o.status = 'processing'
              AND o.lease_expires_at > now()
              OFFSET 0)
        ORDER BY q.id LIMIT candidates
        FOR UPDATE OF q SKIP LOCKED
      ), expired AS (
        SELECT q.id, q.listing_id FROM indexing_queue AS q
        WHERE q.status = 'processing' AND (q.lease_expires_at IS NULL OR q.lease_expires_at <= now())
          AND NOT EXISTS (
            SELECT 1 FROM indexing_queue AS o
            WHERE o.listing_id = q.listing_id AND o.id <> q.id AND o.status = 'processing'
              AND o.lease_expires_at > now()
              OFFSET 0)
        ORDER BY q.id LIMIT candidates
        FOR UPDATE OF q SKIP LOCKED
      ), one_per_listing AS (
        SELECT DISTINCT ON (d.listing_id) d.id
        FROM (SELECT * FROM waiting UNION ALL SELECT * FROM expired) AS d
        ORDER BY d.listing_id, d.id
      ), taken AS (
        SELECT t.id FROM one_per_listing AS t ORDER BY t.id LIMIT max_jobs
      ), claimed AS (
        UPDATE indexing_queue AS q SET
          status = 'processing', locked_by = worker, locked_at = date_trunc('milliseconds', now()),
          lease_expires_at = now() + lease_ms * interval '1 millisecond', retry_count = q.retry_count + 1
        WHERE q.id = ANY(ARRAY(SELECT taken.id FROM taken))
        RETURNING q.*
      )
      SELECT * FROM claimed ORDER BY claimed.id;
    END;
    $$;`;

/**
 * Workers of the previous release call five arguments until they are replaced (a schema newer than the code is
 * allowed): the same claim from the first due id. Without a default on `after_id`, the two signatures never make a
 * call ambiguous.
 */
const FIVE_ARGUMENTS = `
    CREATE OR REPLACE FUNCTION claim_indexing_jobs(worker text, max_jobs integer, lease_ms double precision,
                                                   candidates integer, lock_key bigint)
    RETURNS SETOF indexing_queue LANGUAGE sql VOLATILE AS $$
      SELECT * FROM claim_indexing_jobs(worker, max_jobs, lease_ms, candidates, lock_key, 0::bigint)
    $$;`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ${RESUMING}
    ${FIVE_ARGUMENTS}
    DROP INDEX idx_indexing_queue_locked_at;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION claim_indexing_jobs(text, integer, double precision, integer, bigint, bigint);
    ${FROM_START}
    CREATE INDEX idx_indexing_queue_locked_at ON indexing_queue (locked_at) WHERE status = 'processing';
  `);
}
