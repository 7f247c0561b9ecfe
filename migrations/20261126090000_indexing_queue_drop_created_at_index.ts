import type { Knex } from 'knex';

/**
 * `idx_indexing_queue_created_at` is dropped: no statement reads it, and every job wrote it three times.
 *
 * A claim and a completion change the row's `status`, which partial indexes depend on, so neither update is HOT: each
 * writes a new row version with an entry in every index whose predicate it meets, and this unpartial index took one
 * at the enqueue, the claim and the completion. The only query on `created_at` is the outbox's `stats()`
 * (`min(created_at) FILTER (...)` over the rows not completed): an aggregate with FILTER is never answered from an
 * index's first entry, and its plan (a scan of the unfinished rows) is the same with or without this index.
 *
 * Measured (queue only: 10 000 jobs enqueued, claimed 500 at a time and completed, 8 rounds on one database
 * alternating with and without the index, load 4): PostgreSQL CPU per 1 000 jobs 48-52 ms with it, 41-46 without
 * (enqueue 9-11 -> 8-10, claim 21-24 -> 18-22, complete 17-20 -> 13-16).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS idx_indexing_queue_created_at');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX IF NOT EXISTS idx_indexing_queue_created_at ON indexing_queue (created_at)');
}
