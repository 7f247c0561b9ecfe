import type { BulkCreateProductVariants } from '../../../src/products/bulk-create-product-variants.ts';
import type { CreateProductVariant } from '../../../src/products/create-product-variant.ts';
import type { DeleteProductVariant } from '../../../src/products/delete-product-variant.ts';
import type { GetVariants } from '../../../src/products/get-variants.ts';
import type { UpdateProductVariant } from '../../../src/products/update-product-variant.ts';
import type { Handlers } from '../context.ts';
import { toBulkOperationError, toProductVariantMessage } from '../mappers/product-messages.ts';
import {
  toBulkCreateProductVariantsInput,
  toCreateProductVariantInput,
  toUpdateProductVariantInput,
} from '../mappers/product-requests.ts';

export interface ProductVariantHandlerDeps {
  readonly getVariants: Pick<GetVariants, 'byId' | 'byProduct'>;
  readonly createProductVariant: Pick<CreateProductVariant, 'execute'>;
  readonly updateProductVariant: Pick<UpdateProductVariant, 'execute'>;
  readonly deleteProductVariant: Pick<DeleteProductVariant, 'execute'>;
  readonly bulkCreateProductVariants: Pick<BulkCreateProductVariants, 'execute'>;
}

/**
 * Product variant reads (public) and writes (the product's storefront owner, or admin/service). Dotted reasons
 * (`variants.not_found`, `variants.product_no_variants`, `variants.last_variant`...) are the status messages.
 */
export function productVariantHandlers(deps: ProductVariantHandlerDeps): Partial<Handlers> {
  return {
    GetVariant: async (request, { principal }) => {
      const input = { variantId: request.variantId, productId: request.productId };
      return { variant: toProductVariantMessage(await deps.getVariants.byId(principal, input)) };
    },
    GetVariantsByProductID: async (request, { principal }) => {
      const input = { productId: request.productId, isActiveOnly: request.isActiveOnly };
      return { variants: (await deps.getVariants.byProduct(principal, input)).map(toProductVariantMessage) };
    },
    CreateProductVariant: async (request, { principal }) => ({
      variant: toProductVariantMessage(
        await deps.createProductVariant.execute(principal, toCreateProductVariantInput(request)),
      ),
    }),
    UpdateProductVariant: async (request, { principal }) => ({
      variant: toProductVariantMessage(
        await deps.updateProductVariant.execute(principal, toUpdateProductVariantInput(request)),
      ),
    }),
    DeleteProductVariant: async (request, { principal }) => {
      const input = { variantId: request.variantId, productId: request.productId };
      const result = await deps.deleteProductVariant.execute(principal, input);
      return { success: result.success, message: result.message };
    },
    BulkCreateProductVariants: async (request, { principal }) => {
      const result = await deps.bulkCreateProductVariants.execute(principal, toBulkCreateProductVariantsInput(request));
      return {
        variants: result.variants.map(toProductVariantMessage),
        successfulCount: result.successfulCount,
        failedCount: result.failedCount,
        errors: result.errors.map(toBulkOperationError),
      };
    },
  };
}
