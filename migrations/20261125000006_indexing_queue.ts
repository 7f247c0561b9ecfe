import type { Knex } from 'knex';

/**
 * `indexing_queue`: the transactional outbox of search indexing (reference §5.4, §9; flaws #10, #11).
 *
 * - Jobs are inserted in the same transaction as the listing write. At most one `pending` row per listing
 *   (unique partial index): the enqueue is `INSERT ... ON CONFLICT (listing_id) WHERE status = 'pending'
 *   DO UPDATE`, which coalesces bursts of writes into one job carrying the newest operation and version.
 * - No foreign key to `listings`: the original's ON DELETE CASCADE removed the job of a hard-deleted listing,
 *   so the index never learned about the delete. A `delete` job must outlive its row. `listing_id` stays indexed.
 * - `available_at` delays a retry (backoff); a worker claims rows with `available_at <= now()` using
 *   `FOR UPDATE SKIP LOCKED`, and sets `locked_at` / `locked_by` so stuck `processing` rows can be reclaimed
 *   after a lock timeout.
 * - `listing_version` is the `listings.version` the job was enqueued for (search external versioning; for a
 *   hard delete, the last version seen).
 * - Status: pending → processing → completed; a failed attempt goes back to `failed` (retried when
 *   `available_at` passes while `retry_count < max_retries`); `dead` keeps exhausted jobs for inspection.
 *   Completed rows are purged by age (`idx_indexing_queue_processed_at`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE indexing_queue (
      id BIGSERIAL PRIMARY KEY,
      listing_id BIGINT NOT NULL,
      operation VARCHAR(20) NOT NULL CONSTRAINT indexing_queue_operation_check
        CHECK (operation IN ('index', 'update', 'delete')),
      status VARCHAR(20) NOT NULL DEFAULT 'pending' CONSTRAINT indexing_queue_status_check
        CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'dead')),
      retry_count INTEGER NOT NULL DEFAULT 0 CONSTRAINT indexing_queue_retry_count_check CHECK (retry_count >= 0),
      max_retries INTEGER NOT NULL DEFAULT 3 CONSTRAINT indexing_queue_max_retries_check CHECK (max_retries >= 0),
      error_message TEXT,
      listing_version BIGINT,
      available_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      locked_at TIMESTAMPTZ,
      locked_by VARCHAR(255),
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      processed_at TIMESTAMPTZ
    );
    CREATE INDEX idx_indexing_queue_status ON indexing_queue (status, available_at, id) WHERE status <> 'completed';
    CREATE INDEX idx_indexing_queue_listing_id ON indexing_queue (listing_id);
    CREATE INDEX idx_indexing_queue_created_at ON indexing_queue (created_at);
    CREATE INDEX idx_indexing_queue_locked_at ON indexing_queue (locked_at) WHERE status = 'processing';
    CREATE INDEX idx_indexing_queue_processed_at ON indexing_queue (processed_at) WHERE status = 'completed';
    CREATE UNIQUE INDEX uq_indexing_queue_pending_listing ON indexing_queue (listing_id) WHERE status = 'pending';

    CREATE TRIGGER update_indexing_queue_updated_at BEFORE UPDATE ON indexing_queue
      FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS indexing_queue');
}
