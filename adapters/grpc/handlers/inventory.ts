import type { BatchUpdateStock } from '../../../src/inventory/batch-update-stock.ts';
import type { RecordInventoryMovement } from '../../../src/inventory/record-inventory-movement.ts';
import type { Handlers } from '../context.ts';
import { toBatchUpdateStockInput, toMovementInput, toStockResultMessage } from '../mappers/stock-mappers.ts';

export interface InventoryHandlerDeps {
  readonly recordInventoryMovement: Pick<RecordInventoryMovement, 'execute'>;
  readonly batchUpdateStock: Pick<BatchUpdateStock, 'execute'>;
}

/**
 * RecordInventoryMovement (errors are statuses: `inventory.insufficient_stock` is FAILED_PRECONDITION) and
 * BatchUpdateStock (per-item failures in `results`; needs ≥ 5 s left on the call's deadline). Services only.
 */
export function inventoryHandlers(deps: InventoryHandlerDeps): Partial<Handlers> {
  return {
    RecordInventoryMovement: async (request, { principal }) => {
      const result = await deps.recordInventoryMovement.execute(principal, toMovementInput(request));
      return { success: result.success, stockBefore: result.stockBefore, stockAfter: result.stockAfter };
    },
    BatchUpdateStock: async (request, { principal, signal, deadline }) => {
      const input = toBatchUpdateStockInput(request);
      const result = await deps.batchUpdateStock.execute(principal, input, { signal, deadline });
      return {
        successfulCount: result.successfulCount,
        failedCount: result.failedCount,
        results: result.results.map(toStockResultMessage),
      };
    },
  };
}
