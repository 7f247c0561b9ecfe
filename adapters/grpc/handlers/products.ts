import { CREATE_PRODUCT_SCOPE } from '../../../src/products/create-product.ts';
import type { Handlers } from '../context.ts';
import { CreateProductRequest } from '../generated/listings/v1/listings.ts';
import { toProductMessage, toProductStatsMessage } from '../mappers/product-messages.ts';
import { toCreateProductInput, toDeleteProductInput, toUpdateProductInput } from '../mappers/product-requests.ts';
import { idempotentCall } from './idempotency.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * Product reads (public, as in the original), single-product writes (the storefront's owner, or admin/service:
 * `storefront_id` is checked against the principal), stats and views. GetProduct fills `variants` (the original
 * never did). Missing products are NOT_FOUND `products.not_found` (the original answered INTERNAL).
 */
export function productHandlers({ products, stock }: Pick<GrpcUseCases, 'products' | 'stock'>): Partial<Handlers> {
  return {
    GetProduct: async (request, { principal }) => {
      const input = { productId: request.productId, storefrontId: request.storefrontId, withVariants: true };
      return { product: toProductMessage(await products.get.execute(principal, input)) };
    },
    GetProductsBySKUs: async (request, { principal }) => {
      const found = await products.find.bySkus(principal, {
        skus: request.skus,
        storefrontId: request.storefrontId,
      });
      return { products: found.products.map(toProductMessage), totalCount: found.totalCount };
    },
    GetProductsByIDs: async (request, { principal }) => {
      const input = { productIds: request.productIds, storefrontId: request.storefrontId };
      const found = await products.find.byIds(principal, input);
      return { products: found.products.map(toProductMessage), totalCount: found.totalCount };
    },
    ListProducts: async (request, { principal }) => {
      const page = await products.list.execute(principal, {
        storefrontId: request.storefrontId,
        page: request.page,
        pageSize: request.pageSize,
        isActiveOnly: request.isActiveOnly,
      });
      return { products: page.products.map(toProductMessage), totalCount: page.totalCount };
    },
    CreateProduct: async (request, context) => {
      const encoded = CreateProductRequest.encode(request).finish();
      const idempotency = idempotentCall(context, CREATE_PRODUCT_SCOPE, encoded);
      const { signal, deadline } = context;
      const options = { idempotency, signal, deadline };
      const { product } = await products.create.execute(context.principal, toCreateProductInput(request), options);
      return { product: toProductMessage(product) };
    },
    UpdateProduct: async (request, { principal }) => ({
      product: toProductMessage(await products.update.execute(principal, toUpdateProductInput(request))),
    }),
    DeleteProduct: async (request, { principal }) => {
      const result = await products.delete.execute(principal, toDeleteProductInput(request));
      return { success: result.success, message: result.message, variantsDeleted: result.variantsDeleted };
    },
    GetProductStats: async (request, { principal }) => ({
      stats: toProductStatsMessage(await stock.stats.execute(principal, { storefrontId: request.storefrontId })),
    }),
    IncrementProductViews: async (request, { principal }) => {
      await stock.views.execute(principal, { productId: request.productId });
      return {};
    },
  };
}
