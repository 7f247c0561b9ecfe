/**
 * Product-family entities → proto messages (google.protobuf.Timestamp; JSON objects as google.protobuf.Struct,
 * which the generated codec wraps and unwraps, so the message holds the plain object).
 */
import type { ProductStats } from '../../../ports/product-repository.ts';
import type { AttributeMap } from '../../../src/domain/attributes.ts';
import { bigMinorToWireNumber } from '../../../src/domain/money.ts';
import type { Product } from '../../../src/domain/product.ts';
import type { BulkItemError } from '../../../src/domain/product-bulk.ts';
import type { ProductVariant } from '../../../src/domain/product-variant.ts';
import type {
  BulkOperationError,
  Product as ProductMessage,
  ProductStats as ProductStatsMessage,
  ProductVariant as ProductVariantMessage,
} from '../generated/listings/v1/listings.ts';
import { toOptionalWireAmount, toTimestamp, toWireAmount, unset } from './wire-values.ts';

/** A JSON object for a Struct field: a fresh, mutable copy. */
export function toStruct(map: AttributeMap): { [key: string]: unknown } {
  return { ...map };
}

export function toProductMessage(product: Product): ProductMessage {
  return {
    id: product.id,
    storefrontId: product.storefrontId,
    name: product.name,
    description: product.description,
    price: toWireAmount(product.price),
    currency: product.currency,
    categoryId: product.categoryId,
    sku: unset(product.sku),
    barcode: unset(product.barcode),
    stockQuantity: product.stockQuantity,
    stockStatus: product.stockStatus,
    isActive: product.isActive,
    attributes: toStruct(product.attributes),
    viewCount: product.viewCount,
    soldCount: product.soldCount,
    createdAt: toTimestamp(product.createdAt),
    updatedAt: toTimestamp(product.updatedAt),
    hasIndividualLocation: product.hasIndividualLocation,
    individualAddress: unset(product.individualAddress),
    individualLatitude: unset(product.individualLatitude),
    individualLongitude: unset(product.individualLongitude),
    locationPrivacy: unset(product.locationPrivacy),
    showOnMap: product.showOnMap,
    hasVariants: product.hasVariants,
    variants: product.variants.map(toProductVariantMessage),
  };
}

/** An unset price means the product's price applies; unset dimensions stay unset. */
export function toProductVariantMessage(variant: ProductVariant): ProductVariantMessage {
  return {
    id: variant.id,
    productId: variant.productId,
    sku: unset(variant.sku),
    barcode: unset(variant.barcode),
    price: toOptionalWireAmount(variant.price),
    compareAtPrice: toOptionalWireAmount(variant.compareAtPrice),
    costPrice: toOptionalWireAmount(variant.costPrice),
    stockQuantity: variant.stockQuantity,
    stockStatus: variant.stockStatus,
    lowStockThreshold: unset(variant.lowStockThreshold),
    variantAttributes: toStruct(variant.variantAttributes),
    weight: unset(variant.weight),
    dimensions: variant.dimensions === null ? undefined : toStruct(variant.dimensions),
    isActive: variant.isActive,
    isDefault: variant.isDefault,
    viewCount: variant.viewCount,
    soldCount: variant.soldCount,
    createdAt: toTimestamp(variant.createdAt),
    updatedAt: toTimestamp(variant.updatedAt),
  };
}

/** `total_value` is exact in minor units (bigint) and sent as the nearest double of the decimal. */
export function toProductStatsMessage(stats: ProductStats): ProductStatsMessage {
  return {
    totalProducts: stats.totalProducts,
    activeProducts: stats.activeProducts,
    outOfStock: stats.outOfStock,
    lowStock: stats.lowStock,
    totalValue: bigMinorToWireNumber(stats.totalValue),
    totalSold: stats.totalSold,
  };
}

/** One failed item of a bulk reply, with its dotted `error_code` (`products.sku_duplicate`). */
export function toBulkOperationError(error: BulkItemError): BulkOperationError {
  return {
    index: error.index,
    productId: unset(error.productId),
    errorCode: error.errorCode,
    errorMessage: error.errorMessage,
  };
}
