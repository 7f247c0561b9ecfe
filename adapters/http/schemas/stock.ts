/** JSON Schemas of the stock and inventory routes (the StockItem, StockResult and inventory messages, snake_case). */
import { idSchema, strictObject } from './common.ts';

export const stockItem = strictObject(
  {
    product_id: { type: 'integer', description: '> 0 (checked in-band by decrement and rollback).' },
    variant_id: { type: ['integer', 'null'], description: 'Absent, null or 0: the product’s own stock.' },
    quantity: { type: 'integer', description: '> 0.' },
  },
  ['product_id', 'quantity'],
);
export const stockItems = { type: 'array', items: stockItem, description: '1-1000 items.' } as const;

export const stockResult = {
  type: 'object',
  required: ['product_id', 'stock_before', 'stock_after', 'success'],
  properties: {
    product_id: { type: 'integer' },
    // Echoed as the request named it, so a failed item shows the invalid value it was refused for.
    variant_id: { type: 'integer', description: 'The variant the item named (echoed, even when invalid).' },
    stock_before: { type: 'integer' },
    stock_after: { type: 'integer' },
    success: { type: 'boolean' },
    error: { type: 'string', description: 'Why this item failed.' },
  },
} as const;

export const stockOperation = {
  type: 'object',
  title: 'StockOperationResult',
  description:
    'Failures are in-band, as in the contract: the call answers 200 with `success: false` and `error` (for ' +
    'example `failed to decrement stock for product 5: insufficient stock for product 5: have 1, need 2`).',
  required: ['success', 'results'],
  properties: {
    success: { type: 'boolean' },
    error: { type: 'string' },
    results: { type: 'array', items: stockResult },
  },
} as const;

export const availabilitySchema = {
  type: 'object',
  required: ['all_available', 'items'],
  properties: {
    all_available: { type: 'boolean' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          product_id: { type: 'integer' },
          variant_id: idSchema,
          requested_quantity: { type: 'integer' },
          available_quantity: { type: 'integer' },
          is_available: { type: 'boolean' },
        },
      },
    },
  },
} as const;

export const batchUpdateBody = strictObject(
  {
    storefront_id: idSchema,
    items: {
      type: 'array',
      items: strictObject(
        {
          product_id: { type: 'integer' },
          variant_id: { type: ['integer', 'null'] },
          quantity: { type: 'integer', description: 'The new absolute stock, ≥ 0.' },
          reason: { type: ['string', 'null'], description: "Overrides the batch's reason." },
        },
        ['product_id', 'quantity'],
      ),
    },
    reason: { type: ['string', 'null'], maxLength: 255 },
    user_id: { ...idSchema, description: 'Audit only.' },
  },
  ['storefront_id', 'items'],
);

export const batchUpdateResult = {
  type: 'object',
  required: ['successful_count', 'failed_count', 'results'],
  properties: {
    successful_count: { type: 'integer' },
    failed_count: { type: 'integer' },
    results: { type: 'array', items: stockResult },
  },
} as const;

export const movementBody = strictObject(
  {
    storefront_id: idSchema,
    variant_id: { type: ['integer', 'null'] },
    movement_type: { type: 'string', enum: ['in', 'out', 'adjustment'] },
    quantity: { type: 'integer', minimum: 0 },
    reason: {
      type: ['string', 'null'],
      description: 'e.g. sale, return, damaged, restock, manual_adjustment.',
    },
    notes: { type: ['string', 'null'] },
    user_id: { ...idSchema, description: 'Who did it (audit); defaults to the caller when it is a user.' },
  },
  ['storefront_id', 'movement_type', 'quantity'],
);

export const movementResult = {
  type: 'object',
  required: ['success', 'stock_before', 'stock_after'],
  properties: {
    success: { type: 'boolean' },
    stock_before: { type: 'integer' },
    stock_after: { type: 'integer' },
  },
} as const;

export const productStatsSchema = {
  type: 'object',
  title: 'ProductStats',
  required: ['total_products', 'active_products', 'out_of_stock', 'low_stock', 'total_value', 'total_sold'],
  properties: {
    total_products: { type: 'integer' },
    active_products: { type: 'integer' },
    out_of_stock: { type: 'integer' },
    low_stock: { type: 'integer' },
    total_value: { type: 'number', description: 'Σ price × quantity, computed exactly.' },
    total_sold: { type: 'integer' },
  },
} as const;
