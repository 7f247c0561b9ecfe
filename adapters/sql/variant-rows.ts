/**
 * `b2c_product_variants` rows ↔ ProductVariant (src/domain/product-variant.ts).
 *
 * Prices are DECIMAL(15,2) text ↔ minor units, exact both ways. `stock_status` is never written: the table's trigger
 * derives it from `stock_quantity` and `low_stock_threshold`, and every write reads it back (`RETURNING`).
 * JSON columns are bound as text (`JSON.stringify`), as value-parsers.ts asks.
 */
import type { AttributeMap } from '../../src/domain/attributes.ts';
import { EMPTY_ATTRIBUTES } from '../../src/domain/attributes.ts';
import { fromDecimalString, type MinorUnits, toDecimalString } from '../../src/domain/money.ts';
import type { NewVariant, ProductVariant, VariantUpdate } from '../../src/domain/product-variant.ts';
import type { VariantStockStatus } from '../../src/domain/stock-status.ts';

export const VARIANTS_TABLE = 'b2c_product_variants';

export interface VariantRow {
  readonly id: number;
  readonly product_id: number;
  readonly sku: string | null;
  readonly barcode: string | null;
  readonly price: string | null;
  readonly compare_at_price: string | null;
  readonly cost_price: string | null;
  readonly stock_quantity: number;
  readonly stock_status: string;
  readonly low_stock_threshold: number | null;
  readonly variant_attributes: Record<string, unknown> | null;
  readonly weight: string | null;
  readonly dimensions: Record<string, unknown> | null;
  readonly is_active: boolean;
  readonly is_default: boolean;
  readonly view_count: number;
  readonly sold_count: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

function amount(text: string | null): MinorUnits | null {
  return text === null ? null : fromDecimalString(text);
}

function decimal(value: MinorUnits | null): string | null {
  return value === null ? null : toDecimalString(value);
}

function json(value: AttributeMap | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

export function variantFromRow(row: VariantRow): ProductVariant {
  return {
    id: row.id,
    productId: row.product_id,
    sku: row.sku,
    barcode: row.barcode,
    price: amount(row.price),
    compareAtPrice: amount(row.compare_at_price),
    costPrice: amount(row.cost_price),
    stockQuantity: row.stock_quantity,
    stockStatus: row.stock_status as VariantStockStatus,
    lowStockThreshold: row.low_stock_threshold,
    variantAttributes: (row.variant_attributes ?? EMPTY_ATTRIBUTES) as AttributeMap,
    weight: row.weight === null ? null : Number(row.weight),
    dimensions: row.dimensions as AttributeMap | null,
    isActive: row.is_active,
    isDefault: row.is_default,
    viewCount: row.view_count,
    soldCount: row.sold_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns of a new variant; always `is_default = false` (ProductRepository.insertVariants). */
export function variantInsertRow(variant: NewVariant): Record<string, unknown> {
  return {
    product_id: variant.productId,
    sku: variant.sku,
    barcode: variant.barcode,
    price: decimal(variant.price),
    compare_at_price: decimal(variant.compareAtPrice),
    cost_price: decimal(variant.costPrice),
    stock_quantity: variant.stockQuantity,
    low_stock_threshold: variant.lowStockThreshold,
    variant_attributes: JSON.stringify(variant.variantAttributes ?? EMPTY_ATTRIBUTES),
    weight: variant.weight,
    dimensions: json(variant.dimensions),
    is_active: variant.isActive,
    is_default: false,
  };
}

/** The columns of an update: present fields only; `stockStatus` is the trigger's and `isDefault` setDefaultVariant's. */
export function variantUpdateColumns(update: Omit<VariantUpdate, 'isDefault'>): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  const set = <T>(column: string, value: T | undefined, toStored: (present: T) => unknown = (present) => present) => {
    if (value !== undefined) columns[column] = toStored(value);
  };
  set('sku', update.sku);
  set('barcode', update.barcode);
  set('price', update.price, decimal);
  set('compare_at_price', update.compareAtPrice, decimal);
  set('cost_price', update.costPrice, decimal);
  set('stock_quantity', update.stockQuantity);
  set('low_stock_threshold', update.lowStockThreshold);
  set('variant_attributes', update.variantAttributes, (value) => JSON.stringify(value ?? EMPTY_ATTRIBUTES));
  set('weight', update.weight);
  set('dimensions', update.dimensions, json);
  set('is_active', update.isActive);
  return columns;
}
