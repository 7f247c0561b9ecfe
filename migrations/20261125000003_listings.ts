import type { Knex } from 'knex';

/**
 * `listings`: C2C listings and B2C products in one table (reference §5.2), with what the original lacked:
 *
 * - `barcode` (flaw #22).
 * - `version`, a content version for optimistic concurrency and for search external versioning. It is kept by a
 *   trigger, so no write path (repository, bulk update, admin SQL) can forget it: any UPDATE that changes a column
 *   other than the counters (`view_count`, `favorites_count`, `sold_count`) and `updated_at` raises it by at least 1.
 *   Counter-only updates keep it, so a stream of views never makes an owner's edit fail with VERSION_CONFLICT; a
 *   search document re-indexed after a counter change carries the same version (index with `external_gte`).
 *   The application may set `version` itself (to a higher value); it can never lower it.
 * - `stock_status` derived from `quantity` by a trigger whenever either is written (flaw #38): 0 → out_of_stock;
 *   for products (b2c) 1..5 → low_stock (products have no threshold column; 5 is the variants' default
 *   threshold); otherwise in_stock. `discontinued` is set by hand and kept until it is replaced. Whatever
 *   a writer puts in `stock_status`, the stored value follows these rules.
 * - `is_deleted` and `deleted_at` always agree (CHECK), so listings and products filter deletions the same way
 *   (flaw #21).
 * - `storefront_id` is set exactly for `b2c` rows (CHECK), as the reference describes but never enforced.
 * - One live SKU per storefront (flaw #24), and partial indexes for the hot filters of live rows.
 *
 * Search: the original's English `idx_listings_search` full-text GIN index is deliberately NOT created. Search
 * moves to its own adapter (OpenSearch, or the PostgreSQL fallback, which creates the indexes it needs in its own
 * migration); an English stemmer over Serbian/Russian text was wrong anyway.
 *
 * BEFORE triggers fire in name order: stock status first, then the version check, then `updated_at`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE listings (
      id BIGSERIAL PRIMARY KEY,
      uuid UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      user_id BIGINT NOT NULL CONSTRAINT listings_user_id_check CHECK (user_id > 0),
      storefront_id BIGINT,
      title VARCHAR(255) NOT NULL CONSTRAINT listings_title_check CHECK (length(trim(title)) >= 3),
      description TEXT,
      price DECIMAL(15, 2) NOT NULL CONSTRAINT listings_price_check CHECK (price > 0),
      currency VARCHAR(3) NOT NULL DEFAULT 'RSD',
      category_id BIGINT NOT NULL CONSTRAINT listings_category_id_check CHECK (category_id > 0),
      status VARCHAR(50) NOT NULL DEFAULT 'draft' CONSTRAINT listings_status_check
        CHECK (status IN ('draft', 'active', 'inactive', 'sold', 'archived')),
      visibility VARCHAR(50) NOT NULL DEFAULT 'public' CONSTRAINT listings_visibility_check
        CHECK (visibility IN ('public', 'private', 'unlisted')),
      quantity INTEGER NOT NULL DEFAULT 1 CONSTRAINT listings_quantity_check CHECK (quantity >= 0),
      sku VARCHAR(100),
      barcode VARCHAR(100),
      view_count INTEGER NOT NULL DEFAULT 0,
      favorites_count INTEGER NOT NULL DEFAULT 0,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      published_at TIMESTAMPTZ,
      deleted_at TIMESTAMPTZ,
      is_deleted BOOLEAN NOT NULL DEFAULT false,
      source_type VARCHAR(10) NOT NULL DEFAULT 'c2c' CONSTRAINT listings_source_type_check
        CHECK (source_type IN ('c2c', 'b2c')),
      attributes JSONB DEFAULT '{}'::jsonb,
      stock_status VARCHAR(50) DEFAULT 'in_stock' CONSTRAINT listings_stock_status_check
        CHECK (stock_status IN ('in_stock', 'out_of_stock', 'low_stock', 'discontinued')),
      sold_count INTEGER NOT NULL DEFAULT 0,
      has_individual_location BOOLEAN DEFAULT false,
      individual_address TEXT,
      individual_latitude NUMERIC(10, 8),
      individual_longitude NUMERIC(11, 8),
      location_privacy VARCHAR(20) DEFAULT 'exact' CONSTRAINT listings_location_privacy_check
        CHECK (location_privacy IN ('exact', 'approximate', 'hidden')),
      show_on_map BOOLEAN DEFAULT true,
      has_variants BOOLEAN DEFAULT false,
      version BIGINT NOT NULL DEFAULT 1 CONSTRAINT listings_version_check CHECK (version > 0),
      CONSTRAINT fk_listings_category_id FOREIGN KEY (category_id) REFERENCES c2c_categories (id) ON DELETE RESTRICT,
      CONSTRAINT listings_storefront_source_check CHECK ((storefront_id IS NOT NULL) = (source_type = 'b2c')),
      CONSTRAINT listings_deleted_check CHECK (is_deleted = (deleted_at IS NOT NULL))
    );

    CREATE INDEX idx_listings_user_id ON listings (user_id) WHERE is_deleted = false;
    CREATE INDEX idx_listings_storefront_id ON listings (storefront_id) WHERE is_deleted = false;
    CREATE INDEX idx_listings_category_id ON listings (category_id) WHERE is_deleted = false;
    CREATE INDEX idx_listings_status ON listings (status) WHERE is_deleted = false;
    CREATE INDEX idx_listings_created_at ON listings (created_at DESC) WHERE is_deleted = false;
    CREATE INDEX idx_listings_price ON listings (price) WHERE is_deleted = false;
    CREATE INDEX idx_listings_uuid ON listings (uuid) WHERE is_deleted = false;
    CREATE INDEX idx_listings_source_type ON listings (source_type) WHERE is_deleted = false;
    CREATE INDEX idx_listings_stock_status ON listings (stock_status) WHERE is_deleted = false;
    CREATE INDEX idx_listings_view_count ON listings (view_count DESC) WHERE is_deleted = false;
    CREATE INDEX idx_listings_sold_count ON listings (sold_count DESC) WHERE is_deleted = false;
    CREATE INDEX idx_listings_attributes ON listings USING gin (attributes);
    CREATE INDEX idx_listings_location ON listings (individual_latitude, individual_longitude)
      WHERE has_individual_location = true AND individual_latitude IS NOT NULL AND individual_longitude IS NOT NULL;
    CREATE INDEX idx_listings_has_variants ON listings (has_variants) WHERE has_variants = true;

    -- Hot filters of the list and browse paths: a filter, newest first, live rows only.
    CREATE INDEX idx_listings_status_created_at ON listings (status, created_at DESC) WHERE is_deleted = false;
    CREATE INDEX idx_listings_category_created_at ON listings (category_id, created_at DESC) WHERE is_deleted = false;
    CREATE INDEX idx_listings_user_created_at ON listings (user_id, created_at DESC) WHERE is_deleted = false;
    CREATE INDEX idx_listings_storefront_created_at ON listings (storefront_id, created_at DESC)
      WHERE is_deleted = false AND storefront_id IS NOT NULL;
    -- Reindex and keyset paging walk live rows by id.
    CREATE INDEX idx_listings_live_id ON listings (id) WHERE is_deleted = false;

    CREATE UNIQUE INDEX uq_listings_storefront_sku ON listings (storefront_id, sku)
      WHERE is_deleted = false AND sku IS NOT NULL AND storefront_id IS NOT NULL;

    CREATE FUNCTION listings_derive_stock_status() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.stock_status IS DISTINCT FROM 'discontinued' THEN
        NEW.stock_status := CASE
          WHEN NEW.quantity <= 0 THEN 'out_of_stock'
          WHEN NEW.source_type = 'b2c' AND NEW.quantity <= 5 THEN 'low_stock'
          ELSE 'in_stock'
        END;
      END IF;
      RETURN NEW;
    END;
    $$;

    CREATE FUNCTION listings_bump_version() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
      uncounted CONSTANT text[] := ARRAY['view_count', 'favorites_count', 'sold_count', 'updated_at', 'version'];
    BEGIN
      IF NEW.version < OLD.version THEN
        NEW.version := OLD.version;
      END IF;
      IF NEW.version = OLD.version AND (to_jsonb(NEW) - uncounted) IS DISTINCT FROM (to_jsonb(OLD) - uncounted) THEN
        NEW.version := OLD.version + 1;
      END IF;
      RETURN NEW;
    END;
    $$;

    CREATE TRIGGER listings_10_stock_status BEFORE INSERT OR UPDATE OF quantity, stock_status ON listings
      FOR EACH ROW EXECUTE FUNCTION listings_derive_stock_status();
    CREATE TRIGGER listings_20_version BEFORE UPDATE ON listings
      FOR EACH ROW EXECUTE FUNCTION listings_bump_version();
    CREATE TRIGGER update_listings_updated_at BEFORE UPDATE ON listings
      FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS listings;
    DROP FUNCTION IF EXISTS listings_bump_version();
    DROP FUNCTION IF EXISTS listings_derive_stock_status();
  `);
}
