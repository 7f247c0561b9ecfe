import type { Knex } from 'knex';

/**
 * The side tables of `listings` (reference §5.3) and `c2c_favorites` (§5.6). Every row belongs to one listing and
 * goes with it (ON DELETE CASCADE).
 *
 * - `listing_images` also keeps `storage_key` (the object-storage key the service wrote; `storage_path` is the
 *   original's free-form path) and `thumbnails` (derivative name → URL, e.g. `{"small": "...", "medium": "..."}`).
 * - Indexes that a unique constraint or primary key already provides (e.g. `listing_attributes(listing_id)` under
 *   UNIQUE (listing_id, attribute_key), `c2c_favorites(user_id)` under its primary key) are not repeated.
 * - `c2c_chats` and `c2c_messages` are not created: they belonged to the monolith and this service never reads them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE listing_attributes (
      id BIGSERIAL PRIMARY KEY,
      listing_id BIGINT NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
      attribute_key VARCHAR(100) NOT NULL,
      attribute_value TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      CONSTRAINT listing_attributes_listing_id_attribute_key_key UNIQUE (listing_id, attribute_key)
    );
    CREATE INDEX idx_listing_attributes_attribute_key ON listing_attributes (attribute_key);

    CREATE TABLE listing_images (
      id BIGSERIAL PRIMARY KEY,
      listing_id BIGINT NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
      url TEXT NOT NULL,
      storage_path TEXT,
      storage_key TEXT,
      thumbnail_url TEXT,
      thumbnails JSONB NOT NULL DEFAULT '{}'::jsonb,
      display_order INTEGER NOT NULL DEFAULT 0,
      is_primary BOOLEAN NOT NULL DEFAULT false,
      width INTEGER,
      height INTEGER,
      file_size BIGINT,
      mime_type VARCHAR(100),
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE INDEX idx_listing_images_listing_id_display_order ON listing_images (listing_id, display_order);
    CREATE TRIGGER update_listing_images_updated_at BEFORE UPDATE ON listing_images
      FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

    CREATE TABLE listing_tags (
      id BIGSERIAL PRIMARY KEY,
      listing_id BIGINT NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
      tag VARCHAR(100) NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      CONSTRAINT listing_tags_listing_id_tag_key UNIQUE (listing_id, tag)
    );
    CREATE INDEX idx_listing_tags_tag ON listing_tags (tag);

    CREATE TABLE listing_locations (
      id BIGSERIAL PRIMARY KEY,
      listing_id BIGINT NOT NULL UNIQUE REFERENCES listings (id) ON DELETE CASCADE,
      country VARCHAR(100),
      city VARCHAR(100),
      postal_code VARCHAR(20),
      address_line1 TEXT,
      address_line2 TEXT,
      latitude DECIMAL(10, 8),
      longitude DECIMAL(11, 8),
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE INDEX idx_listing_locations_coordinates ON listing_locations (latitude, longitude)
      WHERE latitude IS NOT NULL AND longitude IS NOT NULL;
    CREATE TRIGGER update_listing_locations_updated_at BEFORE UPDATE ON listing_locations
      FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

    CREATE TABLE listing_stats (
      listing_id BIGINT PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
      views_count INTEGER NOT NULL DEFAULT 0,
      favorites_count INTEGER NOT NULL DEFAULT 0,
      inquiries_count INTEGER NOT NULL DEFAULT 0,
      last_viewed_at TIMESTAMPTZ,
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TRIGGER update_listing_stats_updated_at BEFORE UPDATE ON listing_stats
      FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

    CREATE TABLE c2c_favorites (
      user_id INTEGER NOT NULL,
      listing_id INTEGER NOT NULL,
      created_at TIMESTAMP NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, listing_id),
      CONSTRAINT fk_c2c_favorites_listing_id FOREIGN KEY (listing_id) REFERENCES listings (id) ON DELETE CASCADE
    );
    CREATE INDEX idx_c2c_favorites_listing_id ON c2c_favorites (listing_id);
    CREATE INDEX idx_c2c_favorites_user_created_at ON c2c_favorites (user_id, created_at DESC);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS c2c_favorites;
    DROP TABLE IF EXISTS listing_stats;
    DROP TABLE IF EXISTS listing_locations;
    DROP TABLE IF EXISTS listing_tags;
    DROP TABLE IF EXISTS listing_images;
    DROP TABLE IF EXISTS listing_attributes;
  `);
}
