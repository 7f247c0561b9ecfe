import type { Handlers } from '../context.ts';
import { toBatchUpdateStockInput, toMovementInput, toStockResultMessage } from '../mappers/stock-mappers.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * RecordInventoryMovement (errors are statuses: `inventory.insufficient_stock` is FAILED_PRECONDITION) and
 * BatchUpdateStock (per-item failures in `results`; needs ≥ 5 s left on the call's deadline). Services only.
 */
export function inventoryHandlers({ stock }: Pick<GrpcUseCases, 'stock'>): Partial<Handlers> {
  return {
    RecordInventoryMovement: async (request, { principal }) => {
      const result = await stock.movement.execute(principal, toMovementInput(request));
      return { success: result.success, stockBefore: result.stockBefore, stockAfter: result.stockAfter };
    },
    BatchUpdateStock: async (request, { principal, signal, deadline }) => {
      const input = toBatchUpdateStockInput(request);
      const result = await stock.batchUpdate.execute(principal, input, { signal, deadline });
      return {
        successfulCount: result.successfulCount,
        failedCount: result.failedCount,
        results: result.results.map(toStockResultMessage),
      };
    },
  };
}
