import type { Handlers } from '../context.ts';
import { toBulkOperationError, toProductVariantMessage } from '../mappers/product-messages.ts';
import {
  toBulkCreateProductVariantsInput,
  toCreateProductVariantInput,
  toUpdateProductVariantInput,
} from '../mappers/product-requests.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * Product variant reads (public) and writes (the product's storefront owner, or admin/service). Dotted reasons
 * (`variants.not_found`, `variants.product_no_variants`, `variants.last_variant`...) are the status messages.
 */
export function productVariantHandlers({ variants }: Pick<GrpcUseCases, 'variants'>): Partial<Handlers> {
  return {
    GetVariant: async (request, { principal }) => {
      const input = { variantId: request.variantId, productId: request.productId };
      return { variant: toProductVariantMessage(await variants.read.byId(principal, input)) };
    },
    GetVariantsByProductID: async (request, { principal }) => {
      const input = { productId: request.productId, isActiveOnly: request.isActiveOnly };
      return { variants: (await variants.read.byProduct(principal, input)).map(toProductVariantMessage) };
    },
    CreateProductVariant: async (request, { principal }) => ({
      variant: toProductVariantMessage(await variants.create.execute(principal, toCreateProductVariantInput(request))),
    }),
    UpdateProductVariant: async (request, { principal }) => ({
      variant: toProductVariantMessage(await variants.update.execute(principal, toUpdateProductVariantInput(request))),
    }),
    DeleteProductVariant: async (request, { principal }) => {
      const input = { variantId: request.variantId, productId: request.productId };
      const result = await variants.delete.execute(principal, input);
      return { success: result.success, message: result.message };
    },
    BulkCreateProductVariants: async (request, { principal }) => {
      const result = await variants.bulkCreate.execute(principal, toBulkCreateProductVariantsInput(request));
      return {
        variants: result.variants.map(toProductVariantMessage),
        successfulCount: result.successfulCount,
        failedCount: result.failedCount,
        errors: result.errors.map(toBulkOperationError),
      };
    },
  };
}
