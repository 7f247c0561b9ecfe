import type { SourceRecords } from '../../ports/monolith-source.ts';
import type { ParentListing, VariantAttributeValue } from './mapping/index.ts';
import { type RowOutcome, type Step, single } from './step.ts';

/**
 * An image row is a few short strings (a listing row carries its description and attribute JSON), and each batch
 * pays its fixed statements, among them the side-row copy's refresh: image batches are 5x --batch-size. Measured on
 * 100,000 listings (c2c_images, 213,594 rows): target backend CPU 8.1 -> 6.8 s at 10,000 rows against 2,000.
 */
const IMAGE_BATCH_SCALE = 5;

/**
 * Rows owned by a listing (§3.8–§3.12): images, variants, favorites, movements, attribute values. Each batch asks
 * once for the parents it references.
 */
export const c2cImagesStep: Step<'c2c_images'> = {
  table: 'c2c_images',
  deleteRule: 'hard-delete',
  batchScale: IMAGE_BATCH_SCALE,
  async map(groups: readonly SourceRecords['c2c_images'][], env) {
    const parent = await env.parents.listings(
      'c2c_listings',
      groups.map((group) => group.listingId),
    );
    return groups.flatMap((group) => {
      const results = env.mapping.c2cImages(group.rows, parent(group.listingId), env.ctx);
      return results.map((result, i) => single('listing_images', result, group.rows[i]));
    });
  },
};

export const b2cProductImagesStep: Step<'b2c_product_images'> = {
  table: 'b2c_product_images',
  deleteRule: 'hard-delete',
  batchScale: IMAGE_BATCH_SCALE,
  async map(groups: readonly SourceRecords['b2c_product_images'][], env) {
    const parent = await env.parents.listings(
      'b2c_products',
      groups.map((group) => group.listingId),
    );
    return groups.flatMap((group) => {
      const results = env.mapping.b2cProductImages(group.rows, parent(group.listingId), env.ctx);
      return results.map((result, i) => single('listing_images', result, group.rows[i]));
    });
  },
};

export const c2cVariantsStep: Step<'c2c_listing_variants'> = {
  table: 'c2c_listing_variants',
  deleteRule: 'hard-delete',
  async map(rows, env) {
    const parent = await env.parents.listings(
      'c2c_listings',
      rows.map((row) => row.listing_id),
    );
    return rows.map((row) =>
      single('b2c_product_variants', env.mapping.c2cVariant(row, parent(row.listing_id), env.ctx), row),
    );
  },
};

export const b2cVariantsStep: Step<'b2c_product_variants'> = {
  table: 'b2c_product_variants',
  deleteRule: 'hard-delete',
  parent: true,
  async map(records, env) {
    const parent = await env.parents.listings(
      'b2c_products',
      records.map((record) => record.row.product_id),
    );
    return records.map(({ row, images, attributeValues }) => {
      const product = parent(row.product_id);
      // The variant's own attribute values (entity_type product_variant) merge into variant_attributes; the
      // mapping takes the variant itself as their parent (its createdAt unused).
      const asParent: ParentListing =
        product.state === 'migrated' ? { state: 'migrated', id: row.id, createdAt: '' } : product;
      const values: VariantAttributeValue[] = [];
      for (const value of attributeValues) {
        const mapped = env.mapping.attributeValue(value, asParent, env.ctx);
        if (mapped.kind === 'mapped' && 'variant_id' in mapped.row) values.push(mapped.row);
      }
      return single(
        'b2c_product_variants',
        env.mapping.b2cVariant(row, { images, attributeValues: values }, product, env.ctx),
        row,
      );
    });
  },
};

export const c2cFavoritesStep: Step<'c2c_favorites'> = {
  table: 'c2c_favorites',
  deleteRule: 'hard-delete',
  async map(rows, env) {
    const parent = await env.parents.listings(
      'c2c_listings',
      rows.map((row) => row.listing_id),
    );
    return rows.map((row) =>
      single('c2c_favorites', env.mapping.c2cFavorite(row, parent(row.listing_id), env.ctx), row),
    );
  },
};

export const b2cFavoritesStep: Step<'b2c_favorites'> = {
  table: 'b2c_favorites',
  deleteRule: 'hard-delete',
  async map(rows, env) {
    const parent = await env.parents.listings(
      'b2c_products',
      rows.map((row) => row.product_id),
    );
    return rows.map((row) =>
      single('c2c_favorites', env.mapping.b2cFavorite(row, parent(row.product_id), env.ctx), row),
    );
  },
};

export const movementsStep: Step<'b2c_inventory_movements'> = {
  table: 'b2c_inventory_movements',
  deleteRule: 'hard-delete',
  async map(rows, env) {
    const parent = await env.parents.listings(
      'b2c_products',
      rows.map((row) => row.storefront_product_id),
    );
    return rows.map((row) =>
      single(
        'inventory_movements',
        env.mapping.inventoryMovement(row, parent(row.storefront_product_id), env.ctx),
        row,
      ),
    );
  },
};

/**
 * unified_attribute_values: listing and product values become listing_attributes rows; product_variant values
 * were merged into their variant by the variants step and are only accounted for here (no write of their own).
 */
export const attributeValuesStep: Step<'unified_attribute_values'> = {
  table: 'unified_attribute_values',
  deleteRule: 'hard-delete',
  async map(rows, env) {
    const c2c = await env.parents.listings(
      'c2c_listings',
      rows.filter((row) => row.entity_type === 'listing').map((row) => row.entity_id),
    );
    const b2c = await env.parents.listings(
      'b2c_products',
      rows.filter((row) => row.entity_type === 'product').map((row) => row.entity_id),
    );
    const variants = await env.parents.presence(
      'b2c_product_variants',
      rows.filter((row) => row.entity_type === 'product_variant').map((row) => row.entity_id),
    );
    return rows.map((row): RowOutcome => {
      let parent: ParentListing;
      if (row.entity_type === 'listing') parent = c2c(row.entity_id);
      else if (row.entity_type === 'product') parent = b2c(row.entity_id);
      else {
        const presence = variants(row.entity_id);
        parent =
          presence === 'migrated'
            ? { state: 'migrated', id: row.entity_id, createdAt: '' }
            : presence === 'rejected'
              ? { state: 'rejected', id: row.entity_id }
              : { state: 'missing' };
      }
      const result = env.mapping.attributeValue(row, parent, env.ctx);
      if (result.kind === 'mapped' && result.targetTable !== 'listing_attributes') {
        return { result, sourceRow: row, writes: [] };
      }
      return single('listing_attributes', result, row);
    });
  },
};
