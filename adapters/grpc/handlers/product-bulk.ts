import type { Handlers } from '../context.ts';
import { toBulkOperationError, toProductMessage } from '../mappers/product-messages.ts';
import {
  toBulkCreateProductsInput,
  toBulkDeleteProductsInput,
  toBulkUpdateProductsInput,
} from '../mappers/product-requests.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * BulkCreateProducts, BulkUpdateProducts, BulkDeleteProducts: per-item failures in `errors` with their dotted
 * `error_code` (`products.sku_duplicate`, `products.not_found`...) in an OK reply; whole-batch problems are statuses.
 * BulkDeleteProducts gets the call's deadline and signal: it refuses to start with less than 5 s left.
 */
export function productBulkHandlers({ products }: Pick<GrpcUseCases, 'products'>): Partial<Handlers> {
  return {
    BulkCreateProducts: async (request, { principal }) => {
      const result = await products.bulkCreate.execute(principal, toBulkCreateProductsInput(request));
      return {
        products: result.products.map(toProductMessage),
        successfulCount: result.successfulCount,
        failedCount: result.failedCount,
        errors: result.errors.map(toBulkOperationError),
      };
    },
    BulkUpdateProducts: async (request, { principal }) => {
      const result = await products.bulkUpdate.execute(principal, toBulkUpdateProductsInput(request));
      return {
        products: result.products.map(toProductMessage),
        successfulCount: result.successfulCount,
        failedCount: result.failedCount,
        errors: result.errors.map(toBulkOperationError),
      };
    },
    BulkDeleteProducts: async (request, { principal, signal, deadline }) => {
      const input = toBulkDeleteProductsInput(request);
      const result = await products.bulkDelete.execute(principal, input, { signal, deadline });
      return {
        successfulCount: result.successfulCount,
        failedCount: result.failedCount,
        variantsDeleted: result.variantsDeleted,
        errors: result.errors.map(toBulkOperationError),
      };
    },
  };
}
