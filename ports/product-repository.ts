import type { OffsetPage } from '../src/domain/pagination.ts';
import type { Product } from '../src/domain/product.ts';
import type { NewVariant, ProductVariant, VariantUpdate } from '../src/domain/product-variant.ts';

/**
 * Products (live `listings` rows with `source_type = 'b2c'`) and their variants (`b2c_product_variants`): the
 * product reads, the batch operations and every variant write. Single-product writes go through
 * `ListingRepository` (a product is a listing row).
 *
 * Guarantees an adapter must keep:
 * - Every product read filters `source_type = 'b2c' AND is_deleted = false`; a `storefrontId` option adds
 *   `storefront_id = storefrontId` (ownership), so another storefront's product reads as missing.
 * - Products come back with `variants` filled only when asked (`withVariants`); otherwise `variants` is empty.
 * - Amounts are minor units (exact DECIMAL conversion). Variant prices are in the product's currency.
 * - Unique violations are translated: a product SKU taken in the storefront → `ALREADY_EXISTS`
 *   (`products.sku_duplicate`); a variant SKU taken in the product → `ALREADY_EXISTS` (`variants.sku_duplicate`).
 * - At most one default variant per product (the schema has a unique partial index): {@link setDefaultVariant}
 *   clears the old default before setting the new one.
 * - Callers that apply variant rules (default, last active variant) lock the parent row first
 *   (`ListingRepository.findRow(id, { forUpdate: true })`) so two writers cannot both pass a check.
 */
export interface ProductRepository {
  /** A live product of any status (GetProduct); null when missing, deleted, c2c or another storefront's. */
  findById(productId: number, options?: ProductReadOptions): Promise<Product | null>;

  /** Active products with these SKUs (GetProductsBySKUs); unknown SKUs are omitted. Order: id ascending. */
  findBySkus(skus: readonly string[], options?: ProductReadOptions): Promise<Product[]>;

  /** Active products with these ids (GetProductsByIDs); unknown ids are omitted. Order: id ascending. */
  findByIds(ids: readonly number[], options?: ProductReadOptions): Promise<Product[]>;

  /**
   * A storefront's products, newest first (`created_at DESC, id DESC`); `activeOnly` default false. `total` counts
   * every match, not only this page.
   */
  listByStorefront(
    storefrontId: number,
    page: OffsetPage,
    options?: { readonly activeOnly?: boolean },
  ): Promise<{ readonly items: readonly Product[]; readonly total: number }>;

  /**
   * Which of `skus` live products of the storefront already use (exact match), ignoring `excludeProductId`
   * (the product being updated). For per-item `products.sku_duplicate` reports before a batch write.
   */
  findTakenSkus(
    storefrontId: number,
    skus: readonly string[],
    options?: { readonly excludeProductId?: number },
  ): Promise<Set<string>>;

  /**
   * Deletes the storefront's products among `ids` (BulkDeleteProducts, DeleteProduct): soft (`is_deleted`,
   * `deleted_at = at`) or hard (cascading variants). Ids that are missing, deleted already or another
   * storefront's are skipped. Returns what was deleted, with each row's version after the delete (for the
   * index outbox) and the number of variants removed by a hard delete (0 for soft).
   */
  deleteMany(request: BulkDeleteRequest): Promise<BulkDeleteResult>;

  /**
   * Aggregates over the storefront's live b2c rows (GetProductStats). An unknown storefront gives zeros.
   * `totalValue` is Σ price × quantity in minor units, exact (bigint).
   */
  stats(storefrontId: number): Promise<ProductStats>;

  /** A variant by id, restricted to `productId` when given; null when missing or another product's. */
  findVariant(variantId: number, options?: { readonly productId?: number }): Promise<ProductVariant | null>;

  /** A product's variants, default first, then id ascending; `activeOnly` default false. */
  listVariants(productId: number, options?: { readonly activeOnly?: boolean }): Promise<ProductVariant[]>;

  /**
   * Inserts variants (one statement for a batch, up to 1000) with `is_default = false`, and returns them in input
   * order; callers then decide the default (`variant-rules.ts`) and call {@link setDefaultVariant}.
   */
  insertVariants(rows: readonly NewVariant[]): Promise<ProductVariant[]>;

  /** Writes the given columns and returns the row as stored; missing → `VARIANT_NOT_FOUND` (`variants.not_found`). */
  updateVariant(variantId: number, update: Omit<VariantUpdate, 'isDefault'>): Promise<ProductVariant>;

  /** Removes a variant; returns it as it was, or null when there was none. */
  deleteVariant(variantId: number): Promise<ProductVariant | null>;

  /** Makes `variantId` the product's only default (`null`: no default). */
  setDefaultVariant(productId: number, variantId: number | null): Promise<void>;
}

export interface ProductReadOptions {
  /** Only this storefront's product (ownership filter). */
  readonly storefrontId?: number;
  /** Fill `Product.variants` (default first, then id). Default false. */
  readonly withVariants?: boolean;
}

export interface BulkDeleteRequest {
  readonly storefrontId: number;
  /** De-duplicated, 1..1000. */
  readonly ids: readonly number[];
  readonly hard: boolean;
  readonly at: Date;
}

export interface BulkDeleteResult {
  readonly deleted: readonly { readonly id: number; readonly version: number }[];
  readonly variantsDeleted: number;
}

export interface ProductStats {
  readonly totalProducts: number;
  readonly activeProducts: number;
  readonly outOfStock: number;
  readonly lowStock: number;
  /** Minor units. */
  readonly totalValue: bigint;
  readonly totalSold: number;
}
