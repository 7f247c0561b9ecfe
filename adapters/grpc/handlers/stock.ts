import type { Handlers } from '../context.ts';
import { toStockAvailabilityMessage, toStockItemInputs, toStockOperationMessage } from '../mappers/stock-mappers.ts';
import type { GrpcUseCases } from './use-cases.ts';

/**
 * The order path's stock RPCs; services only (flaw #2). DecrementStock and RollbackStock keep the original's
 * in-band failures: status OK with `success=false` and the original's `error` text. CheckStockAvailability's bad
 * input is a real INVALID_ARGUMENT.
 */
export function stockHandlers({ stock }: Pick<GrpcUseCases, 'stock'>): Partial<Handlers> {
  return {
    DecrementStock: async (request, { principal }) => {
      const input = { items: toStockItemInputs(request.items), orderId: request.orderId };
      return toStockOperationMessage(await stock.decrement.execute(principal, input));
    },
    RollbackStock: async (request, { principal }) => {
      const input = { items: toStockItemInputs(request.items), orderId: request.orderId };
      return toStockOperationMessage(await stock.rollback.execute(principal, input));
    },
    CheckStockAvailability: async (request, { principal }) => {
      const result = await stock.check.execute(principal, { items: toStockItemInputs(request.items) });
      return { allAvailable: result.allAvailable, items: result.items.map(toStockAvailabilityMessage) };
    },
  };
}
