import type { Knex } from 'knex';

/**
 * `c2c_categories` and `storefronts`, as the original kept them (reference §5.6), including their naive
 * `TIMESTAMP` columns: sessions run with `TimeZone=UTC`, so `now()` stores UTC there.
 *
 * Indexes the unique constraints already provide (the original's separate slug indexes) are not repeated.
 * Category rows are data, not schema: see migrations/seeds/categories.ts for a development set.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE c2c_categories (
      id SERIAL PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      slug VARCHAR(100) NOT NULL UNIQUE,
      parent_id INTEGER REFERENCES c2c_categories (id) ON DELETE CASCADE,
      icon VARCHAR(50),
      created_at TIMESTAMP DEFAULT now(),
      has_custom_ui BOOLEAN DEFAULT false,
      custom_ui_component VARCHAR(255),
      sort_order INTEGER DEFAULT 0,
      level INTEGER DEFAULT 0,
      count INTEGER DEFAULT 0,
      external_id VARCHAR(255),
      description TEXT,
      is_active BOOLEAN DEFAULT true,
      seo_title VARCHAR(255),
      seo_description TEXT,
      seo_keywords TEXT,
      CONSTRAINT check_root_categories_level
        CHECK ((parent_id IS NULL AND level = 0) OR (parent_id IS NOT NULL AND level > 0))
    );
    CREATE INDEX idx_c2c_categories_parent_id ON c2c_categories (parent_id);
    CREATE INDEX idx_c2c_categories_level ON c2c_categories (level);

    CREATE TABLE storefronts (
      id SERIAL PRIMARY KEY,
      user_id INTEGER NOT NULL,
      slug VARCHAR(100) NOT NULL UNIQUE,
      name VARCHAR(255) NOT NULL,
      description TEXT,
      logo_url VARCHAR(500),
      banner_url VARCHAR(500),
      theme JSONB DEFAULT '{"layout": "grid", "primaryColor": "#1976d2"}'::jsonb,
      phone VARCHAR(50),
      email VARCHAR(255),
      website VARCHAR(255),
      address TEXT,
      city VARCHAR(100),
      postal_code VARCHAR(20),
      country VARCHAR(2) DEFAULT 'RS',
      latitude NUMERIC(10, 8),
      longitude NUMERIC(11, 8),
      formatted_address TEXT,
      geo_strategy VARCHAR(50) DEFAULT 'storefront_location',
      default_privacy_level VARCHAR(20) DEFAULT 'exact',
      address_verified BOOLEAN DEFAULT false,
      settings JSONB DEFAULT '{}'::jsonb,
      seo_meta JSONB DEFAULT '{}'::jsonb,
      is_active BOOLEAN DEFAULT true,
      is_verified BOOLEAN DEFAULT false,
      verification_date TIMESTAMP,
      rating NUMERIC(3, 2) DEFAULT 0,
      reviews_count INTEGER DEFAULT 0,
      products_count INTEGER DEFAULT 0,
      sales_count INTEGER DEFAULT 0,
      views_count INTEGER DEFAULT 0,
      followers_count INTEGER DEFAULT 0,
      subscription_plan VARCHAR(50) DEFAULT 'starter',
      subscription_expires_at TIMESTAMP,
      subscription_id INTEGER,
      is_subscription_active BOOLEAN DEFAULT true,
      commission_rate NUMERIC(5, 2) DEFAULT 3.00,
      ai_agent_enabled BOOLEAN DEFAULT false,
      ai_agent_config JSONB DEFAULT '{}'::jsonb,
      live_shopping_enabled BOOLEAN DEFAULT false,
      group_buying_enabled BOOLEAN DEFAULT false,
      created_at TIMESTAMP DEFAULT now(),
      updated_at TIMESTAMP DEFAULT now()
    );
    CREATE INDEX idx_storefronts_user_id ON storefronts (user_id);
    CREATE INDEX idx_storefronts_city ON storefronts (city) WHERE city IS NOT NULL;
    CREATE INDEX idx_storefronts_is_active ON storefronts (is_active) WHERE is_active = true;
    CREATE INDEX idx_storefronts_is_verified ON storefronts (is_verified) WHERE is_verified = true;
    CREATE INDEX idx_storefronts_location ON storefronts USING gist (ll_to_earth(latitude, longitude))
      WHERE latitude IS NOT NULL AND longitude IS NOT NULL;

    CREATE TRIGGER update_storefronts_updated_at BEFORE UPDATE ON storefronts
      FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS storefronts;
    DROP TABLE IF EXISTS c2c_categories;
  `);
}
