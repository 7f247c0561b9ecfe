/**
 * `listings` rows with `source_type = 'b2c'` seen as products (src/domain/product.ts): the columns a product read
 * selects, the live-product filter every read applies, and the row → Product mapping.
 *
 * Money stays exact: DECIMAL arrives as text (adapters/sql/value-parsers.ts) and becomes minor units through
 * `fromDecimalString`, never through a float; sums too large for a number arrive as text and become bigint.
 */
import type { Knex } from 'knex';
import type { AttributeMap } from '../../src/domain/attributes.ts';
import { EMPTY_ATTRIBUTES } from '../../src/domain/attributes.ts';
import { asCurrency } from '../../src/domain/currency.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { ListingStatus } from '../../src/domain/listing-status.ts';
import type { LocationPrivacy } from '../../src/domain/location.ts';
import { fromDecimalString } from '../../src/domain/money.ts';
import type { Product } from '../../src/domain/product.ts';
import type { ProductVariant } from '../../src/domain/product-variant.ts';
import { nextListingStockStatus, type StockStatus } from '../../src/domain/stock-status.ts';

/** A `listings` row as the drivers return it (value-parsers.ts): BIGINT → number, NUMERIC → string, JSONB parsed. */
export interface ProductRow {
  readonly id: number;
  readonly storefront_id: number;
  readonly user_id: number;
  readonly title: string;
  readonly description: string | null;
  readonly price: string;
  readonly currency: string;
  readonly category_id: number;
  readonly sku: string | null;
  readonly barcode: string | null;
  readonly quantity: number;
  readonly stock_status: string | null;
  readonly status: string;
  readonly attributes: Record<string, unknown> | null;
  readonly view_count: number;
  readonly sold_count: number;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly has_individual_location: boolean | null;
  readonly individual_address: string | null;
  readonly individual_latitude: string | null;
  readonly individual_longitude: string | null;
  readonly location_privacy: string | null;
  readonly show_on_map: boolean | null;
  readonly has_variants: boolean | null;
  readonly version: number;
}

/** What a product read selects (qualified, so joins stay unambiguous). */
export const PRODUCT_COLUMNS = [
  'id',
  'storefront_id',
  'user_id',
  'title',
  'description',
  'price',
  'currency',
  'category_id',
  'sku',
  'barcode',
  'quantity',
  'stock_status',
  'status',
  'attributes',
  'view_count',
  'sold_count',
  'created_at',
  'updated_at',
  'has_individual_location',
  'individual_address',
  'individual_latitude',
  'individual_longitude',
  'location_privacy',
  'show_on_map',
  'has_variants',
  'version',
].map((column) => `listings.${column}`);

/** Restricts a query on `listings` to live products, and to one storefront's when `storefrontId` is given. */
export function whereLiveProduct(query: Knex.QueryBuilder, storefrontId?: number): Knex.QueryBuilder {
  query.where('listings.source_type', 'b2c').andWhere('listings.is_deleted', false);
  if (storefrontId !== undefined) query.andWhere('listings.storefront_id', storefrontId);
  return query;
}

function numberOrNull(text: string | null): number | null {
  return text === null ? null : Number(text);
}

export function productFromRow(row: ProductRow, variants: readonly ProductVariant[] = []): Product {
  const status = row.status as ListingStatus;
  return {
    id: row.id,
    storefrontId: row.storefront_id,
    userId: row.user_id,
    name: row.title,
    description: row.description ?? '',
    price: fromDecimalString(row.price),
    currency: asCurrency(row.currency),
    categoryId: row.category_id,
    sku: row.sku,
    barcode: row.barcode,
    stockQuantity: row.quantity,
    // The trigger keeps the column set; NULL only on rows written around it, so derive what the trigger would.
    stockStatus: (row.stock_status as StockStatus | null) ?? nextListingStockStatus(null, row.quantity, 'b2c'),
    isActive: status === 'active',
    status,
    attributes: (row.attributes ?? EMPTY_ATTRIBUTES) as AttributeMap,
    viewCount: row.view_count,
    soldCount: row.sold_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    hasIndividualLocation: row.has_individual_location === true,
    individualAddress: row.individual_address,
    individualLatitude: numberOrNull(row.individual_latitude),
    individualLongitude: numberOrNull(row.individual_longitude),
    locationPrivacy: row.location_privacy as LocationPrivacy | null,
    showOnMap: row.show_on_map !== false,
    hasVariants: row.has_variants === true,
    variants,
    version: row.version,
  };
}

const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * An exact NUMERIC text (`"1234.50"`, a Σ price × quantity of any size) → minor units as bigint. More than two
 * decimals that are not zeros cannot come from DECIMAL(15,2) × INTEGER, so they mean a broken query: INTERNAL.
 */
export function decimalTextToMinorUnits(text: string): bigint {
  const match = DECIMAL_TEXT.exec(text);
  const fraction = (match?.[3] ?? '').padEnd(2, '0');
  if (!match || !/^0*$/.test(fraction.slice(2))) {
    throw new AppError('INTERNAL', `not an amount with at most 2 decimals: ${text}`);
  }
  const value = BigInt(match[2] as string) * 100n + BigInt(fraction.slice(0, 2));
  return match[1] === '-' ? -value : value;
}
