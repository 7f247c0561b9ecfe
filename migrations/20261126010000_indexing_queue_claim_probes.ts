import type { Knex } from 'knex';

/**
 * `claim_indexing_jobs` with plans that do not depend on the queue's statistics (same signature, same result).
 *
 * The 20261125000020 function left the plan of its two lookups to the planner, and the statistics are stale exactly
 * when it matters: a backlog arrives while ANALYZE last saw no `processing` rows. The planner then expected one
 * leased row and turned "no live lease on this listing" (NOT EXISTS) into an anti-join against a materialised list
 * of every leased row, compared with each candidate: 635 candidates × 2 000 rows in flight = 1.27 M comparisons,
 * about 450 ms per claim, all of it under the claim lock (five loops then spent their time queued for it). The
 * UPDATE joined its ids by hashing a sequential scan of the whole table, completed rows included.
 *
 * - The NOT EXISTS subqueries end in `OFFSET 0`, which keeps PostgreSQL from pulling them up into a join: each
 *   candidate runs one probe of `idx_indexing_queue_lease` on its `listing_id` (O(log n), whatever the statistics).
 * - The UPDATE takes its ids as an array (`id = ANY(ARRAY(...))`): an index scan of the primary key.
 * Measured on the mid-drain state above (10 000 queued, 6 batches done, 2 000 leased): 473 ms → 9 ms per claim.
 */
const DEAD_EXPIRED = `
      PERFORM pg_advisory_xact_lock(lock_key);
      UPDATE indexing_queue SET status = 'dead', processed_at = now(), lease_expires_at = NULL,
        error_message = 'lease expired on attempt ' || retry_count || ' of ' || max_retries
          || ' (worker ' || COALESCE(locked_by, 'unknown') || ')'
      WHERE status = 'processing' AND (lease_expires_at IS NULL OR lease_expires_at <= now())
        AND retry_count >= max_retries;`;

function claimFunction(probe: string, update: string): string {
  return `
    CREATE OR REPLACE FUNCTION claim_indexing_jobs(worker text, max_jobs integer, lease_ms double precision,
                                                   candidates integer, lock_key bigint)
    RETURNS SETOF indexing_queue LANGUAGE plpgsql VOLATILE AS $$
    BEGIN${DEAD_EXPIRED}
      RETURN QUERY
      WITH waiting AS (
        SELECT q.id, q.listing_id FROM indexing_queue AS q
        WHERE q.status IN ('pending', 'failed') AND q.available_at <= now()
          AND NOT EXISTS (
            SELECT 1 FROM indexing_queue AS o
            WHERE o.listing_id = q.listing_id AND o.id <> q.id AND o.status = 'processing'
              AND o.lease_expires_at > now()${probe})
        ORDER BY q.id LIMIT candidates
        FOR UPDATE OF q SKIP LOCKED
      ), expired AS (
        SELECT q.id, q.listing_id FROM indexing_queue AS q
        WHERE q.status = 'processing' AND (q.lease_expires_at IS NULL OR q.lease_expires_at <= now())
          AND NOT EXISTS (
            SELECT 1 FROM indexing_queue AS o
            WHERE o.listing_id = q.listing_id AND o.id <> q.id AND o.status = 'processing'
              AND o.lease_expires_at > now()${probe})
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
        ${update}
        RETURNING q.*
      )
      SELECT * FROM claimed ORDER BY claimed.id;
    END;
    $$;`;
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw(claimFunction('\n              OFFSET 0', 'WHERE q.id = ANY(ARRAY(SELECT taken.id FROM taken))'));
}

/** Back to the 20261125000020 body. */
export async function down(knex: Knex): Promise<void> {
  await knex.raw(claimFunction('', 'FROM taken WHERE q.id = taken.id'));
}
