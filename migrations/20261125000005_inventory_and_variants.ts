import type { Knex } from 'knex';

/**
 * Stock: `inventory_movements` (the audit trail of every stock change) and `b2c_product_variants` (reference §5.5).
 *
 * inventory_movements
 * - `quantity` is the signed change of stock (+ in, − out, the difference for an adjustment). It keeps the
 *   original's CHECK ≠ 0: an adjustment to the value the stock already has changes nothing and writes no row, and
 *   an adjustment that ends at 0 stores its negative difference, so the CHECK no longer breaks it (flaw #26).
 * - `order_id` (flaw #8): RollbackStock is idempotent per (order, product, variant): at most one `rollback`
 *   movement per key, and a rollback must name its order. COALESCE folds "no variant" into one key.
 * - `movement_type` keeps no CHECK: the API writes in/out/adjustment/rollback, and migrated monolith rows keep
 *   their own types.
 *
 * b2c_product_variants
 * - SKUs are unique per product (flaw #24); at most one default variant per product (the monolith enforced it;
 *   the application clears the old default before setting a new one, in two statements).
 * - `stock_status` follows `stock_quantity` and `low_stock_threshold` by trigger (flaw #38): 0 → out_of_stock,
 *   ≤ threshold → low_stock, else in_stock. `updated_at` now has its trigger too.
 * - The id is INTEGER from `b2c_product_variants_id_seq`, and product_id INTEGER, as in the original.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE inventory_movements (
      id BIGSERIAL PRIMARY KEY,
      listing_id BIGINT NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
      variant_id BIGINT,
      movement_type VARCHAR(50) NOT NULL,
      quantity INTEGER NOT NULL CONSTRAINT inventory_movements_quantity_check CHECK (quantity <> 0),
      reason VARCHAR(255),
      notes TEXT,
      user_id BIGINT,
      order_id VARCHAR(255),
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      metadata JSONB,
      CONSTRAINT inventory_movements_rollback_order_check CHECK (movement_type <> 'rollback' OR order_id IS NOT NULL)
    );
    CREATE INDEX idx_inventory_movements_listing_id ON inventory_movements (listing_id);
    CREATE INDEX idx_inventory_movements_created_at ON inventory_movements (created_at DESC);
    CREATE INDEX idx_inventory_movements_movement_type ON inventory_movements (movement_type);
    CREATE INDEX idx_inventory_movements_user_id ON inventory_movements (user_id) WHERE user_id IS NOT NULL;
    CREATE UNIQUE INDEX uq_inventory_movements_rollback_order
      ON inventory_movements (order_id, listing_id, COALESCE(variant_id, 0))
      WHERE movement_type = 'rollback';

    CREATE TABLE b2c_product_variants (
      id SERIAL PRIMARY KEY,
      product_id INTEGER NOT NULL,
      sku VARCHAR(100),
      barcode VARCHAR(100),
      price NUMERIC(15, 2),
      compare_at_price NUMERIC(15, 2),
      cost_price NUMERIC(15, 2),
      stock_quantity INTEGER NOT NULL DEFAULT 0
        CONSTRAINT b2c_product_variants_stock_quantity_check CHECK (stock_quantity >= 0),
      stock_status VARCHAR(20) NOT NULL DEFAULT 'in_stock' CONSTRAINT b2c_product_variants_stock_status_check
        CHECK (stock_status IN ('in_stock', 'low_stock', 'out_of_stock')),
      low_stock_threshold INTEGER DEFAULT 5,
      variant_attributes JSONB NOT NULL DEFAULT '{}'::jsonb,
      weight NUMERIC(10, 3),
      dimensions JSONB,
      is_active BOOLEAN NOT NULL DEFAULT true,
      is_default BOOLEAN NOT NULL DEFAULT false,
      view_count INTEGER NOT NULL DEFAULT 0,
      sold_count INTEGER NOT NULL DEFAULT 0,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      CONSTRAINT fk_b2c_product_variants_product_id FOREIGN KEY (product_id) REFERENCES listings (id)
        ON DELETE CASCADE ON UPDATE CASCADE
    );
    CREATE INDEX idx_b2c_product_variants_product_id ON b2c_product_variants (product_id);
    CREATE INDEX idx_b2c_product_variants_is_active ON b2c_product_variants (is_active);
    CREATE INDEX idx_b2c_product_variants_stock_status ON b2c_product_variants (stock_status);
    CREATE UNIQUE INDEX uq_b2c_product_variants_product_sku ON b2c_product_variants (product_id, sku)
      WHERE sku IS NOT NULL;
    CREATE UNIQUE INDEX uq_b2c_product_variants_default ON b2c_product_variants (product_id) WHERE is_default;

    CREATE FUNCTION b2c_product_variants_derive_stock_status() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      NEW.stock_status := CASE
        WHEN NEW.stock_quantity <= 0 THEN 'out_of_stock'
        WHEN NEW.stock_quantity <= COALESCE(NEW.low_stock_threshold, 0) THEN 'low_stock'
        ELSE 'in_stock'
      END;
      RETURN NEW;
    END;
    $$;
    CREATE TRIGGER b2c_product_variants_10_stock_status
      BEFORE INSERT OR UPDATE OF stock_quantity, low_stock_threshold, stock_status ON b2c_product_variants
      FOR EACH ROW EXECUTE FUNCTION b2c_product_variants_derive_stock_status();
    CREATE TRIGGER update_b2c_product_variants_updated_at BEFORE UPDATE ON b2c_product_variants
      FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS b2c_product_variants;
    DROP FUNCTION IF EXISTS b2c_product_variants_derive_stock_status();
    DROP TABLE IF EXISTS inventory_movements;
  `);
}
