import type { CreateProduct } from '../../../src/products/create-product.ts';
import { CREATE_PRODUCT_SCOPE } from '../../../src/products/create-product.ts';
import type { DeleteProduct } from '../../../src/products/delete-product.ts';
import type { FindProducts } from '../../../src/products/find-products.ts';
import type { GetProduct } from '../../../src/products/get-product.ts';
import type { IncrementProductViews } from '../../../src/products/increment-product-views.ts';
import type { ListProducts } from '../../../src/products/list-products.ts';
import type { GetProductStats } from '../../../src/products/product-stats.ts';
import type { UpdateProduct } from '../../../src/products/update-product.ts';
import type { Handlers } from '../context.ts';
import { CreateProductRequest } from '../generated/listings/v1/listings.ts';
import { toProductMessage, toProductStatsMessage } from '../mappers/product-messages.ts';
import { toCreateProductInput, toDeleteProductInput, toUpdateProductInput } from '../mappers/product-requests.ts';
import { idempotentCall } from './idempotency.ts';

export interface ProductHandlerDeps {
  readonly getProduct: Pick<GetProduct, 'execute'>;
  readonly findProducts: Pick<FindProducts, 'bySkus' | 'byIds'>;
  readonly listProducts: Pick<ListProducts, 'execute'>;
  readonly createProduct: Pick<CreateProduct, 'execute'>;
  readonly updateProduct: Pick<UpdateProduct, 'execute'>;
  readonly deleteProduct: Pick<DeleteProduct, 'execute'>;
  readonly getProductStats: Pick<GetProductStats, 'execute'>;
  readonly incrementProductViews: Pick<IncrementProductViews, 'execute'>;
}

/**
 * Product reads (public, as in the original), single-product writes (the storefront's owner, or admin/service:
 * `storefront_id` is checked against the principal), stats and views. GetProduct fills `variants` (the original
 * never did). Missing products are NOT_FOUND `products.not_found` (the original answered INTERNAL).
 */
export function productHandlers(deps: ProductHandlerDeps): Partial<Handlers> {
  return {
    GetProduct: async (request, { principal }) => {
      const input = { productId: request.productId, storefrontId: request.storefrontId, withVariants: true };
      return { product: toProductMessage(await deps.getProduct.execute(principal, input)) };
    },
    GetProductsBySKUs: async (request, { principal }) => {
      const found = await deps.findProducts.bySkus(principal, {
        skus: request.skus,
        storefrontId: request.storefrontId,
      });
      return { products: found.products.map(toProductMessage), totalCount: found.totalCount };
    },
    GetProductsByIDs: async (request, { principal }) => {
      const input = { productIds: request.productIds, storefrontId: request.storefrontId };
      const found = await deps.findProducts.byIds(principal, input);
      return { products: found.products.map(toProductMessage), totalCount: found.totalCount };
    },
    ListProducts: async (request, { principal }) => {
      const page = await deps.listProducts.execute(principal, {
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
      const { product } = await deps.createProduct.execute(context.principal, toCreateProductInput(request), options);
      return { product: toProductMessage(product) };
    },
    UpdateProduct: async (request, { principal }) => ({
      product: toProductMessage(await deps.updateProduct.execute(principal, toUpdateProductInput(request))),
    }),
    DeleteProduct: async (request, { principal }) => {
      const result = await deps.deleteProduct.execute(principal, toDeleteProductInput(request));
      return { success: result.success, message: result.message, variantsDeleted: result.variantsDeleted };
    },
    GetProductStats: async (request, { principal }) => ({
      stats: toProductStatsMessage(
        await deps.getProductStats.execute(principal, { storefrontId: request.storefrontId }),
      ),
    }),
    IncrementProductViews: async (request, { principal }) => {
      await deps.incrementProductViews.execute(principal, { productId: request.productId });
      return {};
    },
  };
}
