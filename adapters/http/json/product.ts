import type { Product } from '../../../src/domain/product.ts';
import type { BulkItemError } from '../../../src/domain/product-bulk.ts';
import type { ProductVariant } from '../../../src/domain/product-variant.ts';
import { compact, type Json, timestampOf } from './compact.ts';
import { moneyOf } from './listing.ts';

/**
 * A product (a storefront's `b2c` listing) with the Product message's names in snake_case (`name`,
 * `stock_quantity`, `is_active`), plus `user_id`, the lifecycle `status` behind `is_active`, and `version`.
 * `description` is omitted when empty (the message sends "").
 */
export function productJson(product: Product): Json {
  return compact({
    id: product.id,
    storefront_id: product.storefrontId,
    user_id: product.userId,
    name: product.name,
    description: product.description === '' ? null : product.description,
    price: moneyOf(product.price),
    currency: product.currency,
    category_id: product.categoryId,
    sku: product.sku,
    barcode: product.barcode,
    stock_quantity: product.stockQuantity,
    stock_status: product.stockStatus,
    is_active: product.isActive,
    status: product.status,
    attributes: product.attributes,
    view_count: product.viewCount,
    sold_count: product.soldCount,
    created_at: timestampOf(product.createdAt),
    updated_at: timestampOf(product.updatedAt),
    has_individual_location: product.hasIndividualLocation,
    individual_address: product.individualAddress,
    individual_latitude: product.individualLatitude,
    individual_longitude: product.individualLongitude,
    location_privacy: product.locationPrivacy,
    show_on_map: product.showOnMap,
    has_variants: product.hasVariants,
    variants: product.variants.map(variantJson),
    version: product.version,
  });
}

/** A product variant; prices are in the product's currency, `weight` in grams. */
export function variantJson(variant: ProductVariant): Json {
  return compact({
    id: variant.id,
    product_id: variant.productId,
    sku: variant.sku,
    barcode: variant.barcode,
    price: moneyOf(variant.price),
    compare_at_price: moneyOf(variant.compareAtPrice),
    cost_price: moneyOf(variant.costPrice),
    stock_quantity: variant.stockQuantity,
    stock_status: variant.stockStatus,
    low_stock_threshold: variant.lowStockThreshold,
    variant_attributes: variant.variantAttributes,
    weight: variant.weight,
    dimensions: variant.dimensions,
    is_active: variant.isActive,
    is_default: variant.isDefault,
    view_count: variant.viewCount,
    sold_count: variant.soldCount,
    created_at: timestampOf(variant.createdAt),
    updated_at: timestampOf(variant.updatedAt),
  });
}

/** One failed item of a bulk reply (BulkOperationError). */
export function bulkErrorJson(error: BulkItemError): Json {
  return compact({
    index: error.index,
    product_id: error.productId,
    error_code: error.errorCode,
    error_message: error.errorMessage,
  });
}
