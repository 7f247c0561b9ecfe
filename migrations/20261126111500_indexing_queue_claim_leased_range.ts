import type { Knex } from 'knex';

/**
 * `claim_indexing_jobs`: the listings of a claim's candidates that hold a live lease are looked up by the range of
 * their ids, not by `listing_id = ANY(<the candidates' ids>)`.
 *
 * The statistics say almost no row is `processing` (ANALYZE rarely runs while a batch is leased), so the planner reads
 * the leased rows from `idx_indexing_queue_lease_expiry` (every live lease, `lease_expires_at > now()`) and filters
 * each on the array. The array comes from a subquery, so PostgreSQL does not hash it: each lease was compared with
 * each of the ~635 candidates. With a worker's loops holding about 4,000 leases during a backlog, that was 23 of a
 * claim's 33 ms (auto_explain of a drain of 10,000 documents). A range (`listing_id BETWEEN` the candidates' least and
 * greatest) is two comparisons per lease whichever index the planner reads, and an index condition on
 * `idx_indexing_queue_lease` when it reads that one; the rows it lets through that belong to no candidate are dropped
 * by the anti-join that follows, which compares listing ids exactly (a hash join), as before.
 *
 * Candidates with scattered listing ids make a wide range: the lookup then reads every live lease once, still two
 * comparisons each.
 *
 * Measured (the worker draining 10,000 held documents, the previous code and this one alternating, 6 pairs, load
 * 2.3-2.8): the worker's PostgreSQL CPU 61-70 -> 49-52 ms per 1,000 documents.
 */
function claimFunction(leased: string): string {
  return `
    CREATE OR REPLACE FUNCTION claim_indexing_jobs(worker text, max_jobs integer, lease_ms double precision,
                                                   candidates integer, lock_key bigint, after_id bigint)
    RETURNS SETOF indexing_queue LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
      resume_after bigint := COALESCE(after_id, 0);
    BEGIN
      PERFORM pg_advisory_xact_lock(lock_key);
      IF resume_after <= 0 THEN
      UPDATE indexing_queue SET status = 'dead', processed_at = now(), lease_expires_at = NULL, updated_at = now(),
        error_message = 'lease expired on attempt ' || retry_count || ' of ' || max_retries
          || ' (worker ' || COALESCE(locked_by, 'unknown') || ')'
      WHERE status = 'processing' AND (lease_expires_at IS NULL OR lease_expires_at <= now())
        AND retry_count >= max_retries;
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
      ), leased AS MATERIALIZED (${leased}
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
          lease_expires_at = now() + lease_ms * interval '1 millisecond', retry_count = q.retry_count + 1,
          updated_at = now()
        WHERE q.id = ANY(ARRAY(SELECT taken.id FROM taken))
        RETURNING q.*
      )
      SELECT * FROM claimed ORDER BY claimed.id;
    END;
    $$;`;
}

const BY_RANGE = `
        SELECT DISTINCT o.listing_id FROM indexing_queue AS o
        WHERE o.listing_id BETWEEN (SELECT min(found.listing_id) FROM found) AND (SELECT max(found.listing_id) FROM found)
          AND o.status = 'processing' AND o.lease_expires_at > now()`;

/** 20261126091000's lookup. */
const BY_ARRAY = `
        SELECT DISTINCT o.listing_id FROM indexing_queue AS o
        WHERE o.listing_id = ANY(ARRAY(SELECT found.listing_id FROM found))
          AND o.status = 'processing' AND o.lease_expires_at > now()`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(claimFunction(BY_RANGE));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(claimFunction(BY_ARRAY));
}
