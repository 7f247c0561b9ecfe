/**
 * Product and variant requests → use-case inputs. Presence is kept (unset optional fields stay `undefined`, a
 * present 0 is a value), every proto field is passed on (flaw #22: the use cases honour sku, barcode, currency,
 * category, is_active, has_variants and the masks), and prices stay the wire's double for the domain's money
 * parser. `storefront_id` is the original's ownership claim; the use cases check it against the principal.
 */
import type { ProductInput } from '../../../src/domain/product.ts';
import type { VariantInput } from '../../../src/domain/product-variant.ts';
import type { BulkCreateProductVariantsInput } from '../../../src/products/bulk-create-product-variants.ts';
import type { BulkCreateProductsInput } from '../../../src/products/bulk-create-products.ts';
import type { BulkDeleteProductsInput } from '../../../src/products/bulk-delete-products.ts';
import type { BulkUpdateProductsInput, ProductUpdateInput } from '../../../src/products/bulk-update-products.ts';
import type { CreateProductInput } from '../../../src/products/create-product.ts';
import type { CreateProductVariantInput } from '../../../src/products/create-product-variant.ts';
import type { DeleteProductInput } from '../../../src/products/delete-product.ts';
import type { UpdateProductInput } from '../../../src/products/update-product.ts';
import type { UpdateProductVariantInput } from '../../../src/products/update-product-variant.ts';
import type {
  BulkCreateProductsRequest,
  BulkCreateProductVariantsRequest,
  BulkDeleteProductsRequest,
  BulkUpdateProductsRequest,
  CreateProductRequest,
  CreateProductVariantRequest,
  DeleteProductRequest,
  ProductInput as ProductInputMessage,
  ProductUpdateInput as ProductUpdateInputMessage,
  ProductVariantInput,
  UpdateProductRequest,
  UpdateProductVariantRequest,
} from '../generated/listings/v1/listings.ts';

/** CreateProductRequest without its storefront, and ProductInput: the same fields. */
export function toProductInput(request: ProductInputMessage | CreateProductRequest): ProductInput {
  return {
    name: request.name,
    description: request.description,
    price: request.price,
    currency: request.currency,
    categoryId: request.categoryId,
    sku: request.sku,
    barcode: request.barcode,
    stockQuantity: request.stockQuantity,
    isActive: request.isActive,
    attributes: request.attributes,
    hasIndividualLocation: request.hasIndividualLocation,
    individualAddress: request.individualAddress,
    individualLatitude: request.individualLatitude,
    individualLongitude: request.individualLongitude,
    locationPrivacy: request.locationPrivacy,
    showOnMap: request.showOnMap,
    hasVariants: request.hasVariants,
  };
}

export function toCreateProductInput(request: CreateProductRequest): CreateProductInput {
  return { storefrontId: request.storefrontId, ...toProductInput(request) };
}

export function toUpdateProductInput(request: UpdateProductRequest): UpdateProductInput {
  return {
    productId: request.productId,
    storefrontId: request.storefrontId,
    name: request.name,
    description: request.description,
    price: request.price,
    currency: request.currency,
    categoryId: request.categoryId,
    sku: request.sku,
    barcode: request.barcode,
    isActive: request.isActive,
    attributes: request.attributes,
    hasIndividualLocation: request.hasIndividualLocation,
    individualAddress: request.individualAddress,
    individualLatitude: request.individualLatitude,
    individualLongitude: request.individualLongitude,
    locationPrivacy: request.locationPrivacy,
    showOnMap: request.showOnMap,
    updateMask: request.updateMask,
  };
}

export function toDeleteProductInput(request: DeleteProductRequest): DeleteProductInput {
  return { productId: request.productId, storefrontId: request.storefrontId, hardDelete: request.hardDelete };
}

export function toBulkCreateProductsInput(request: BulkCreateProductsRequest): BulkCreateProductsInput {
  return { storefrontId: request.storefrontId, products: request.products.map(toProductInput) };
}

export function toProductUpdateInput(update: ProductUpdateInputMessage): ProductUpdateInput {
  return {
    productId: update.productId,
    name: update.name,
    description: update.description,
    price: update.price,
    currency: update.currency,
    categoryId: update.categoryId,
    sku: update.sku,
    barcode: update.barcode,
    isActive: update.isActive,
    attributes: update.attributes,
    updateMask: update.updateMask,
  };
}

export function toBulkUpdateProductsInput(request: BulkUpdateProductsRequest): BulkUpdateProductsInput {
  return { storefrontId: request.storefrontId, updates: request.updates.map(toProductUpdateInput) };
}

export function toBulkDeleteProductsInput(request: BulkDeleteProductsRequest): BulkDeleteProductsInput {
  return { storefrontId: request.storefrontId, productIds: request.productIds, hardDelete: request.hardDelete };
}

/** `is_active` is not passed: a new variant is created active (proto3 cannot tell false from unset here). */
export function toVariantInput(input: ProductVariantInput | CreateProductVariantRequest): VariantInput {
  return {
    sku: input.sku,
    barcode: input.barcode,
    price: input.price,
    compareAtPrice: input.compareAtPrice,
    costPrice: input.costPrice,
    stockQuantity: input.stockQuantity,
    lowStockThreshold: input.lowStockThreshold,
    variantAttributes: input.variantAttributes,
    weight: input.weight,
    dimensions: input.dimensions,
    isDefault: input.isDefault,
  };
}

export function toCreateProductVariantInput(request: CreateProductVariantRequest): CreateProductVariantInput {
  return { productId: request.productId, ...toVariantInput(request) };
}

export function toBulkCreateProductVariantsInput(
  request: BulkCreateProductVariantsRequest,
): BulkCreateProductVariantsInput {
  return { productId: request.productId, variants: request.variants.map(toVariantInput) };
}

export function toUpdateProductVariantInput(request: UpdateProductVariantRequest): UpdateProductVariantInput {
  return {
    variantId: request.variantId,
    productId: request.productId,
    sku: request.sku,
    barcode: request.barcode,
    price: request.price,
    compareAtPrice: request.compareAtPrice,
    costPrice: request.costPrice,
    stockQuantity: request.stockQuantity,
    lowStockThreshold: request.lowStockThreshold,
    variantAttributes: request.variantAttributes,
    weight: request.weight,
    dimensions: request.dimensions,
    isActive: request.isActive,
    isDefault: request.isDefault,
    updateMask: request.updateMask,
  };
}
