import type { Knex } from 'knex';

/**
 * `indexing_queue`: what the outbox adapter needs beyond 000006.
 *
 * - `change_xid`: the transaction that last enqueued or coalesced the row (`pg_current_xact_id()`, a 64-bit xid8
 *   that never wraps). Reindex asks for "entries enqueued or coalesced since a mark" (IndexOutbox.mark /
 *   changesSince). A sequence number would not do: a transaction can take number 5, commit after another took 6,
 *   and a reader that already moved past 6 would never see 5. Rows are instead read in (change_xid, id) order and
 *   only below the oldest transaction still running (`pg_snapshot_xmin`), a prefix that can no longer grow, so
 *   nothing is skipped. Claims, completions and failures leave it alone.
 * - `lease_expires_at`: the end of a worker's lease, set at claim time from the claim's own lease length, so
 *   workers with different lease lengths cannot misjudge each other's leases.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE indexing_queue
      ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      ADD COLUMN lease_expires_at TIMESTAMPTZ;
    CREATE INDEX idx_indexing_queue_change ON indexing_queue (change_xid, id);
    CREATE INDEX idx_indexing_queue_lease ON indexing_queue (listing_id, lease_expires_at) WHERE status = 'processing';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX IF EXISTS idx_indexing_queue_lease;
    DROP INDEX IF EXISTS idx_indexing_queue_change;
    ALTER TABLE indexing_queue DROP COLUMN IF EXISTS lease_expires_at, DROP COLUMN IF EXISTS change_xid;
  `);
}
