import type { ProductStats } from '../../../ports/product-repository.ts';
import { bigMinorToWireNumber } from '../../../src/domain/money.ts';
import type { StockAvailability } from '../../../src/inventory/check-stock-availability.ts';
import type { StockOperationResult, StockResult } from '../../../src/inventory/stock-results.ts';
import { compact, type Json } from './compact.ts';

/** One item's outcome (StockResult / StockUpdateResult). */
export function stockResultJson(result: StockResult): Json {
  return compact({
    product_id: result.productId,
    variant_id: result.variantId,
    stock_before: result.stockBefore,
    stock_after: result.stockAfter,
    success: result.success,
    error: result.error,
  });
}

/** DecrementStock / RollbackStock: failures are in-band (`success: false`, `error`), as the contract has them. */
export function stockOperationJson(result: StockOperationResult): Json {
  return { ...compact({ success: result.success, error: result.error }), results: result.results.map(stockResultJson) };
}

export function availabilityJson(item: StockAvailability): Json {
  return compact({
    product_id: item.productId,
    variant_id: item.variantId,
    requested_quantity: item.requestedQuantity,
    available_quantity: item.availableQuantity,
    is_available: item.isAvailable,
  });
}

/** `total_value` is Σ price × quantity, exact in minor units, sent as the nearest number. */
export function productStatsJson(stats: ProductStats): Json {
  return {
    total_products: stats.totalProducts,
    active_products: stats.activeProducts,
    out_of_stock: stats.outOfStock,
    low_stock: stats.lowStock,
    total_value: bigMinorToWireNumber(stats.totalValue),
    total_sold: stats.totalSold,
  };
}
