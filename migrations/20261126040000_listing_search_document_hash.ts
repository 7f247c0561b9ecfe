import type { Knex } from 'knex';

/**
 * `listing_search.document_hash`: the SHA-256 (base64) of the `document` column's JSON as the adapter serialised it
 * (adapters/pgsearch/pg-search-writes.ts). An upsert first asks which of its documents the table already holds at
 * the same version with the same hash, by id, version and hash alone, and sends only the others. Before, the batch
 * itself answered that: every document went to the server (about 1 MB of parameters per 500) and was parsed into
 * `jsonb` to be compared with the stored one, which was most of the fallback mirror's PostgreSQL CPU when the worker
 * re-sends documents the table holds (a reindex backlog, a retry after OpenSearch failed).
 *
 * NULL until a row is next written (rows written before this column, tombstones): such a row is rewritten once. Added
 * to the serving table and to any shadow (`_v<N>`) or retired (`_r<N>`) table present, which a reindex or a rollback
 * still writes; tables made later copy it (`LIKE listing_search INCLUDING ALL`).
 */
// No question mark in the SQL: knex.raw would take it for a binding.
const SEARCH_TABLES = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
  AND (tablename = 'listing_search' OR tablename ~ '^listing_search_[vr][0-9]+$')`;

export async function up(knex: Knex): Promise<void> {
  await alterEverySearchTable(knex, 'ADD COLUMN IF NOT EXISTS document_hash text');
}

export async function down(knex: Knex): Promise<void> {
  await alterEverySearchTable(knex, 'DROP COLUMN IF EXISTS document_hash');
}

/** `ALTER TABLE <table> <change>` on the serving table and every shadow or retired one present. */
async function alterEverySearchTable(knex: Knex, change: string): Promise<void> {
  await knex.raw(`
    DO $$
    DECLARE
      name text;
    BEGIN
      FOR name IN ${SEARCH_TABLES} LOOP
        EXECUTE format('ALTER TABLE %I ${change}', name);
      END LOOP;
    END $$;
  `);
}
