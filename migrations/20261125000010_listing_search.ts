import type { Knex } from 'knex';

/**
 * `listing_search`: the PostgreSQL search index (adapters/pgsearch), a table of its own so writes to `listings` stay
 * cheap and the indexing worker owns it. One row per indexed listing, or a tombstone (`removed`) that keeps the
 * version of a removal so an older document cannot come back. No foreign key to `listings`: the worker decides.
 *
 * - `search_vector`: title (weight A), description (B), tags and attribute keys/values (`keywords`, C), each analysed
 *   with the `russian`, `serbian` and `simple` text search configurations (stemmed Russian, stemmed Serbian in both
 *   scripts: the Serbian stemmer transliterates Cyrillic to Latin, and exact words). PostgreSQL 15 and PGlite (18)
 *   both ship `serbian`; on a server without it, `simple` stands in (checked here, when the column is created).
 * - `title_words`: the title's words (`simple`) for prefix autocomplete (`to_tsquery('kva:*')`).
 * - trigram GIN on the title (pg_trgm) for typo tolerance and autocomplete; GIST on `ll_to_earth` for geo radius.
 * - `document`: the document as the worker sent it (validate compares it with the row).
 * The adapter builds shadow tables `listing_search_v<N>` from this one (`LIKE … INCLUDING ALL`) for reindex, renames
 * one into place and the replaced table to `listing_search_r<N>` (kept for rollback); `down` drops those too.
 */
export async function up(knex: Knex): Promise<void> {
  const found = (await knex.raw(`SELECT 1 FROM pg_ts_config WHERE cfgname = 'serbian'`)) as { rows: unknown[] };
  const serbian = found.rows.length > 0 ? 'serbian' : 'simple';
  const vector = (column: string, weight: string) =>
    ['russian', serbian, 'simple']
      .map((config) => `setweight(to_tsvector('${config}'::regconfig, coalesce(${column}, '')), '${weight}')`)
      .join(' || ');
  await knex.raw(`
    CREATE TABLE listing_search (
      listing_id BIGINT PRIMARY KEY,
      version BIGINT NOT NULL CONSTRAINT listing_search_version_check CHECK (version > 0),
      removed BOOLEAN NOT NULL DEFAULT false,
      title TEXT,
      description TEXT,
      keywords TEXT,
      price BIGINT,
      currency VARCHAR(3),
      category_id BIGINT,
      status VARCHAR(50),
      visibility VARCHAR(50),
      source_type VARCHAR(10),
      user_id BIGINT,
      storefront_id BIGINT,
      attributes JSONB NOT NULL DEFAULT '{}'::jsonb,
      latitude DOUBLE PRECISION,
      longitude DOUBLE PRECISION,
      created_at TIMESTAMPTZ,
      document JSONB,
      indexed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      search_vector tsvector GENERATED ALWAYS AS (
        ${vector('title', 'A')} || ${vector('description', 'B')} || ${vector('keywords', 'C')}
      ) STORED,
      title_words tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce(title, ''))) STORED,
      CONSTRAINT listing_search_document_check CHECK (
        removed OR (title IS NOT NULL AND price IS NOT NULL AND currency IS NOT NULL AND category_id IS NOT NULL
          AND status IS NOT NULL AND source_type IS NOT NULL AND user_id IS NOT NULL AND created_at IS NOT NULL)
      ),
      CONSTRAINT listing_search_location_check CHECK (
        (latitude IS NULL) = (longitude IS NULL) AND (latitude IS NULL OR
          (latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180))
      )
    );

    CREATE INDEX idx_listing_search_vector ON listing_search USING gin (search_vector) WHERE NOT removed;
    CREATE INDEX idx_listing_search_title_words ON listing_search USING gin (title_words) WHERE NOT removed;
    CREATE INDEX idx_listing_search_title_trgm ON listing_search USING gin (title gin_trgm_ops) WHERE NOT removed;
    CREATE INDEX idx_listing_search_attributes ON listing_search USING gin (attributes jsonb_path_ops)
      WHERE NOT removed;
    CREATE INDEX idx_listing_search_earth ON listing_search USING gist (ll_to_earth(latitude, longitude))
      WHERE NOT removed AND latitude IS NOT NULL;
    CREATE INDEX idx_listing_search_created ON listing_search (created_at DESC, listing_id DESC) WHERE NOT removed;
    CREATE INDEX idx_listing_search_price ON listing_search (price, listing_id) WHERE NOT removed;
    CREATE INDEX idx_listing_search_category ON listing_search (category_id) WHERE NOT removed;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DO $$
    DECLARE
      shadow text;
    BEGIN
      FOR shadow IN SELECT tablename FROM pg_tables
        WHERE schemaname = current_schema() AND tablename ~ '^listing_search_[vr][0-9]+$'
      LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I', shadow);
      END LOOP;
    END;
    $$;
    DROP TABLE IF EXISTS listing_search;
  `);
}
