import type { Knex } from 'knex';

/**
 * `idempotency_keys`: replay protection for creates over REST (`Idempotency-Key` header) and gRPC (metadata),
 * flaw #4.
 *
 * A key is scoped by the operation (`scope`, e.g. `listings.create`) and the authenticated caller (`principal`),
 * so two callers can never see each other's responses. The first request inserts an `in_progress` row (the
 * primary key makes a concurrent duplicate wait or fail); on success it stores the response and becomes
 * `completed`. A repeat with the same `request_hash` gets the stored response; with another hash it is
 * IDEMPOTENCY_KEY_REUSED. A failed request deletes its row, so the key can be retried. Rows past `expires_at`
 * are purged (and an expired `in_progress` row, left by a crash, may be taken over).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE idempotency_keys (
      scope VARCHAR(100) NOT NULL,
      principal VARCHAR(255) NOT NULL,
      key VARCHAR(255) NOT NULL,
      request_hash VARCHAR(128) NOT NULL,
      status VARCHAR(20) NOT NULL DEFAULT 'in_progress' CONSTRAINT idempotency_keys_status_check
        CHECK (status IN ('in_progress', 'completed')),
      response JSONB,
      resource_id BIGINT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      expires_at TIMESTAMPTZ NOT NULL,
      PRIMARY KEY (scope, principal, key),
      CONSTRAINT idempotency_keys_key_check CHECK (length(key) > 0),
      CONSTRAINT idempotency_keys_expiry_check CHECK (expires_at > created_at),
      CONSTRAINT idempotency_keys_response_check CHECK (status <> 'completed' OR response IS NOT NULL)
    );
    CREATE INDEX idx_idempotency_keys_expires_at ON idempotency_keys (expires_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS idempotency_keys');
}
