import type { Knex } from 'knex';

/**
 * Schema `monolith_migration`: the bookkeeping of `listings migrate-from-monolith` (reference monolith.md §4.1),
 * kept in the target so a run can resume, detect changes and deletes, and prove it reconciles.
 *
 * - `runs`: one row per run (audit; `verify` without an id checks the last completed run). `counts` holds the
 *   final report.
 * - `checkpoints`: the keyset cursor of each source table of a run, advanced in the same transaction as the batch
 *   it follows, so a kill loses at most one uncommitted batch.
 * - `id_map`: one row per migrated source row. `source_hash` (md5 of the canonical source row and everything its
 *   target rows are derived from) drives change detection; a live row absent from the source is a delete. Only rows
 *   listed here are ever updated or deleted by the migration (ownership). `target_id` is the target's key as text
 *   (`1070`, or `<user_id>:<listing_id>` for favorites), so every target table fits one column.
 * - `rejects`: source rows that break a target rule, with the whole source row; retried on every later run and
 *   removed once the row migrates. Per source table, source rows = live id_map rows + rejects.
 *
 * A regular migration rather than something the command creates: `migrate latest` is the one place schema changes,
 * and the command checks the schema is at this version before it writes (exit 4 otherwise). Plain SQL that runs on
 * PGlite too, though the command itself needs a PostgreSQL server (COPY).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE SCHEMA monolith_migration;

    CREATE TABLE monolith_migration.runs (
      run_id UUID PRIMARY KEY,
      mode VARCHAR(20) NOT NULL CONSTRAINT runs_mode_check CHECK (mode IN ('full', 'catch-up', 'verify', 'dry-run')),
      started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      finished_at TIMESTAMPTZ,
      status VARCHAR(20) NOT NULL DEFAULT 'running'
        CONSTRAINT runs_status_check CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
      source_zone TEXT NOT NULL,
      source_server_zone TEXT,
      source_shape TEXT,
      options JSONB NOT NULL DEFAULT '{}'::jsonb,
      counts JSONB,
      tool_version TEXT NOT NULL
    );
    CREATE INDEX idx_runs_started_at ON monolith_migration.runs (started_at DESC);

    CREATE TABLE monolith_migration.checkpoints (
      run_id UUID NOT NULL REFERENCES monolith_migration.runs (run_id) ON DELETE CASCADE,
      source_table TEXT NOT NULL,
      last_key TEXT,
      rows_read BIGINT NOT NULL DEFAULT 0,
      rows_written BIGINT NOT NULL DEFAULT 0,
      rows_rejected BIGINT NOT NULL DEFAULT 0,
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (run_id, source_table)
    );

    CREATE TABLE monolith_migration.id_map (
      source_table TEXT NOT NULL,
      source_key TEXT NOT NULL,
      target_table TEXT NOT NULL,
      target_id TEXT NOT NULL,
      source_hash TEXT NOT NULL,
      extras JSONB,
      first_run_id UUID NOT NULL,
      last_run_id UUID NOT NULL,
      deleted_at TIMESTAMPTZ,
      PRIMARY KEY (source_table, source_key)
    );
    CREATE INDEX idx_id_map_target ON monolith_migration.id_map (target_table, target_id);

    CREATE TABLE monolith_migration.rejects (
      source_table TEXT NOT NULL,
      source_key TEXT NOT NULL,
      code VARCHAR(50) NOT NULL,
      detail TEXT,
      source_row JSONB NOT NULL,
      run_id UUID NOT NULL,
      first_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (source_table, source_key)
    );
    CREATE INDEX idx_rejects_code ON monolith_migration.rejects (source_table, code);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP SCHEMA IF EXISTS monolith_migration CASCADE');
}
