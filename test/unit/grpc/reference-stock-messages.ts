import type { MessageTable } from './reference-types.ts';

/** Requests/responses of the stock and inventory RPCs (§3.5: stock on the order path; inventory). Typed from the reference tables, not from the .proto file. */
export const STOCK_RPC_MESSAGES: MessageTable = {
  StockItem: {
    product_id: [1, 'int64'],
    variant_id: [2, 'optional int64'],
    quantity: [3, 'int32'],
  },
  StockResult: {
    product_id: [1, 'int64'],
    variant_id: [2, 'optional int64'],
    stock_before: [3, 'int32'],
    stock_after: [4, 'int32'],
    success: [5, 'bool'],
    error: [6, 'optional string'],
  },
  DecrementStockRequest: {
    items: [1, 'repeated StockItem'],
    order_id: [2, 'optional string'],
  },
  DecrementStockResponse: {
    success: [1, 'bool'],
    error: [2, 'optional string'],
    results: [3, 'repeated StockResult'],
  },
  RollbackStockRequest: {
    items: [1, 'repeated StockItem'],
    order_id: [2, 'optional string'],
  },
  RollbackStockResponse: {
    success: [1, 'bool'],
    error: [2, 'optional string'],
    results: [3, 'repeated StockResult'],
  },
  CheckStockAvailabilityRequest: {
    items: [1, 'repeated StockItem'],
  },
  StockAvailability: {
    product_id: [1, 'int64'],
    variant_id: [2, 'optional int64'],
    requested_quantity: [3, 'int32'],
    available_quantity: [4, 'int32'],
    is_available: [5, 'bool'],
  },
  CheckStockAvailabilityResponse: {
    all_available: [1, 'bool'],
    items: [2, 'repeated StockAvailability'],
  },
  RecordInventoryMovementRequest: {
    storefront_id: [1, 'int64'],
    product_id: [2, 'int64'],
    variant_id: [3, 'optional int64'],
    movement_type: [4, 'string'],
    quantity: [5, 'int32'],
    reason: [6, 'optional string'],
    notes: [7, 'optional string'],
    user_id: [8, 'int64'],
  },
  RecordInventoryMovementResponse: {
    success: [1, 'bool'],
    stock_before: [2, 'int32'],
    stock_after: [3, 'int32'],
    error: [4, 'optional string'],
  },
  StockUpdateItem: {
    product_id: [1, 'int64'],
    variant_id: [2, 'optional int64'],
    quantity: [3, 'int32'],
    reason: [4, 'optional string'],
  },
  BatchUpdateStockRequest: {
    storefront_id: [1, 'int64'],
    items: [2, 'repeated StockUpdateItem'],
    reason: [3, 'optional string'],
    user_id: [4, 'int64'],
  },
  StockUpdateResult: {
    product_id: [1, 'int64'],
    variant_id: [2, 'optional int64'],
    stock_before: [3, 'int32'],
    stock_after: [4, 'int32'],
    success: [5, 'bool'],
    error: [6, 'optional string'],
  },
  BatchUpdateStockResponse: {
    successful_count: [1, 'int32'],
    failed_count: [2, 'int32'],
    results: [3, 'repeated StockUpdateResult'],
  },
  GetProductStatsRequest: {
    storefront_id: [1, 'int64'],
  },
  ProductStats: {
    total_products: [1, 'int32'],
    active_products: [2, 'int32'],
    out_of_stock: [3, 'int32'],
    low_stock: [4, 'int32'],
    total_value: [5, 'double'],
    total_sold: [6, 'int32'],
  },
  GetProductStatsResponse: {
    stats: [1, 'ProductStats'],
  },
  IncrementProductViewsRequest: {
    product_id: [1, 'int64'],
  },
};
