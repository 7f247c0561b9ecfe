/** The stock and inventory RPCs: requests → use-case inputs, per-item results → messages. */
import type { MovementInput, StockItemInput } from '../../../src/domain/stock-request.ts';
import type { BatchUpdateStockInput } from '../../../src/inventory/batch-update-stock.ts';
import type { StockAvailability } from '../../../src/inventory/check-stock-availability.ts';
import type { StockOperationResult, StockResult } from '../../../src/inventory/stock-results.ts';
import type {
  BatchUpdateStockRequest,
  DecrementStockResponse,
  RecordInventoryMovementRequest,
  StockAvailability as StockAvailabilityMessage,
  StockItem,
  StockResult as StockResultMessage,
  StockUpdateResult,
} from '../generated/listings/v1/listings.ts';
import { unset } from './wire-values.ts';

/** An unset `variant_id` is the product's own stock (0, which old callers send, too: the domain decides). */
export function toStockItemInputs(items: readonly StockItem[]): StockItemInput[] {
  return items.map((item) => ({ productId: item.productId, variantId: item.variantId, quantity: item.quantity }));
}

export function toStockResultMessage(result: StockResult): StockResultMessage & StockUpdateResult {
  return {
    productId: result.productId,
    variantId: unset(result.variantId),
    stockBefore: result.stockBefore,
    stockAfter: result.stockAfter,
    success: result.success,
    error: result.error,
  };
}

/** DecrementStockResponse and RollbackStockResponse: failures in-band (`success=false`, `error`), status OK. */
export function toStockOperationMessage(result: StockOperationResult): DecrementStockResponse {
  return { success: result.success, error: result.error, results: result.results.map(toStockResultMessage) };
}

export function toStockAvailabilityMessage(item: StockAvailability): StockAvailabilityMessage {
  return {
    productId: item.productId,
    variantId: unset(item.variantId),
    requestedQuantity: item.requestedQuantity,
    availableQuantity: item.availableQuantity,
    isAvailable: item.isAvailable,
  };
}

export function toMovementInput(request: RecordInventoryMovementRequest): MovementInput {
  return {
    storefrontId: request.storefrontId,
    productId: request.productId,
    variantId: request.variantId,
    movementType: request.movementType,
    quantity: request.quantity,
    reason: request.reason,
    notes: request.notes,
    userId: request.userId,
  };
}

export function toBatchUpdateStockInput(request: BatchUpdateStockRequest): BatchUpdateStockInput {
  return {
    storefrontId: request.storefrontId,
    items: request.items.map((item) => ({
      productId: item.productId,
      variantId: item.variantId,
      quantity: item.quantity,
      reason: item.reason,
    })),
    reason: request.reason,
    userId: request.userId,
  };
}
