import type { CheckStockAvailability } from '../../../src/inventory/check-stock-availability.ts';
import type { DecrementStock } from '../../../src/inventory/decrement-stock.ts';
import type { RollbackStock } from '../../../src/inventory/rollback-stock.ts';
import type { Handlers } from '../context.ts';
import { toStockAvailabilityMessage, toStockItemInputs, toStockOperationMessage } from '../mappers/stock-mappers.ts';

export interface StockHandlerDeps {
  readonly decrementStock: Pick<DecrementStock, 'execute'>;
  readonly rollbackStock: Pick<RollbackStock, 'execute'>;
  readonly checkStockAvailability: Pick<CheckStockAvailability, 'execute'>;
}

/**
 * The order path's stock RPCs; services only (flaw #2). DecrementStock and RollbackStock keep the original's
 * in-band failures: status OK with `success=false` and the original's `error` text. CheckStockAvailability's bad
 * input is a real INVALID_ARGUMENT.
 */
export function stockHandlers(deps: StockHandlerDeps): Partial<Handlers> {
  return {
    DecrementStock: async (request, { principal }) => {
      const input = { items: toStockItemInputs(request.items), orderId: request.orderId };
      return toStockOperationMessage(await deps.decrementStock.execute(principal, input));
    },
    RollbackStock: async (request, { principal }) => {
      const input = { items: toStockItemInputs(request.items), orderId: request.orderId };
      return toStockOperationMessage(await deps.rollbackStock.execute(principal, input));
    },
    CheckStockAvailability: async (request, { principal }) => {
      const result = await deps.checkStockAvailability.execute(principal, { items: toStockItemInputs(request.items) });
      return { allAvailable: result.allAvailable, items: result.items.map(toStockAvailabilityMessage) };
    },
  };
}
