import type { Knex } from 'knex';

/**
 * Claiming indexing jobs in one round trip, in time independent of the queue's depth.
 *
 * - `idx_indexing_queue_due`: due jobs are read in id order (enqueue order) from this partial index, stopping after
 *   the rows a claim needs, instead of reading and sorting every waiting row by `created_at` (a 65 000-job backlog
 *   made each claim read and sort them all).
 * - `idx_indexing_queue_lease_expiry`: expired leases by a range scan on their expiry; 000008's index leads with
 *   `listing_id`, so finding them read every `processing` entry, including the stale ones every completed job
 *   leaves until vacuum (claims slowed down in proportion to the jobs done so far).
 * - `claim_indexing_jobs(worker, limit, lease_ms, candidates, lock_key)`: the whole claim in one statement the
 *   client sends once. Claims serialise on a transaction-level advisory lock (so two claims never take two entries
 *   of one listing); held across client round trips (BEGIN, lock, two UPDATEs, COMMIT), that lock was held for as
 *   long as the claiming process's event loop took to answer, and five claim loops queued behind it. Inside the
 *   function each statement takes a fresh snapshot after the lock, so it sees what the previous claim committed.
 *   It first makes dead the jobs whose lease expired on their last attempt (a job that kills its worker every time
 *   would otherwise be claimed forever), then leases up to `limit` due jobs, at most one per listing and none of a
 *   listing that has a live lease, each claim counting as an attempt. `locked_at` is stored to the millisecond so
 *   the Date a worker holds compares equal when it completes or fails the job.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE INDEX idx_indexing_queue_due ON indexing_queue (id) WHERE status IN ('pending', 'failed');
    CREATE INDEX idx_indexing_queue_lease_expiry ON indexing_queue (lease_expires_at) WHERE status = 'processing';

    CREATE FUNCTION claim_indexing_jobs(worker text, max_jobs integer, lease_ms double precision,
                                        candidates integer, lock_key bigint)
    RETURNS SETOF indexing_queue LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(lock_key);
      UPDATE indexing_queue SET status = 'dead', processed_at = now(), lease_expires_at = NULL,
        error_message = 'lease expired on attempt ' || retry_count || ' of ' || max_retries
          || ' (worker ' || COALESCE(locked_by, 'unknown') || ')'
      WHERE status = 'processing' AND (lease_expires_at IS NULL OR lease_expires_at <= now())
        AND retry_count >= max_retries;
      RETURN QUERY
      WITH waiting AS (
        SELECT q.id, q.listing_id FROM indexing_queue AS q
        WHERE q.status IN ('pending', 'failed') AND q.available_at <= now()
          AND NOT EXISTS (
            SELECT 1 FROM indexing_queue AS o
            WHERE o.listing_id = q.listing_id AND o.id <> q.id AND o.status = 'processing'
              AND o.lease_expires_at > now())
        ORDER BY q.id LIMIT candidates
        FOR UPDATE OF q SKIP LOCKED
      ), expired AS (
        SELECT q.id, q.listing_id FROM indexing_queue AS q
        WHERE q.status = 'processing' AND (q.lease_expires_at IS NULL OR q.lease_expires_at <= now())
          AND NOT EXISTS (
            SELECT 1 FROM indexing_queue AS o
            WHERE o.listing_id = q.listing_id AND o.id <> q.id AND o.status = 'processing'
              AND o.lease_expires_at > now())
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
        FROM taken WHERE q.id = taken.id
        RETURNING q.*
      )
      SELECT * FROM claimed ORDER BY claimed.id;
    END;
    $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION IF EXISTS claim_indexing_jobs(text, integer, double precision, integer, bigint);
    DROP INDEX IF EXISTS idx_indexing_queue_lease_expiry;
    DROP INDEX IF EXISTS idx_indexing_queue_due;
  `);
}
