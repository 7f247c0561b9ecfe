/**
 * JSON Schemas of products (a storefront's `b2c` listings, in the Product message's names) and their variants.
 * Business rules (name 3-255, description ≤ 5000, price > 0, ISO 4217 currency, coordinates in range) are checked
 * by the domain with the original's texts; the schemas give types, shapes and enums.
 */
import { LISTING_STATUSES } from '../../../src/domain/listing-status.ts';
import { LOCATION_PRIVACIES } from '../../../src/domain/location.ts';
import { STOCK_STATUSES, VARIANT_STOCK_STATUSES } from '../../../src/domain/stock-status.ts';
import { attributeMap, idSchema, money, moneyInput, strictObject, timestamp } from './common.ts';

export const variantSchema = {
  type: 'object',
  title: 'ProductVariant',
  description: 'A variant. An absent `price` means the product price applies. Null members are omitted.',
  required: ['id', 'product_id', 'stock_quantity', 'stock_status', 'is_active', 'is_default', 'created_at'],
  properties: {
    id: idSchema,
    product_id: idSchema,
    sku: { type: 'string' },
    barcode: { type: 'string' },
    price: money,
    compare_at_price: money,
    cost_price: money,
    stock_quantity: { type: 'integer' },
    stock_status: { type: 'string', enum: VARIANT_STOCK_STATUSES },
    low_stock_threshold: { type: 'integer' },
    variant_attributes: attributeMap,
    weight: { type: 'number', description: 'Grams.' },
    dimensions: attributeMap,
    is_active: { type: 'boolean' },
    is_default: { type: 'boolean' },
    view_count: { type: 'integer' },
    sold_count: { type: 'integer' },
    created_at: timestamp,
    updated_at: timestamp,
  },
} as const;

export const productSchema = {
  type: 'object',
  title: 'Product',
  description:
    "A storefront's product: the Product message in snake_case, plus `user_id`, the lifecycle `status` behind " +
    '`is_active`, and `version`. Null members, an empty description and empty relations are omitted.',
  required: [
    'id',
    'storefront_id',
    'user_id',
    'name',
    'price',
    'currency',
    'category_id',
    'stock_quantity',
    'stock_status',
    'is_active',
    'status',
    'created_at',
    'updated_at',
    'version',
  ],
  properties: {
    id: idSchema,
    storefront_id: idSchema,
    user_id: idSchema,
    name: { type: 'string' },
    description: { type: 'string' },
    price: money,
    currency: { type: 'string' },
    category_id: idSchema,
    sku: { type: 'string' },
    barcode: { type: 'string' },
    stock_quantity: { type: 'integer' },
    stock_status: { type: 'string', enum: STOCK_STATUSES },
    is_active: { type: 'boolean' },
    status: { type: 'string', enum: LISTING_STATUSES },
    attributes: attributeMap,
    view_count: { type: 'integer' },
    sold_count: { type: 'integer' },
    created_at: timestamp,
    updated_at: timestamp,
    has_individual_location: { type: 'boolean' },
    individual_address: { type: 'string' },
    individual_latitude: { type: 'number' },
    individual_longitude: { type: 'number' },
    location_privacy: { type: 'string', enum: LOCATION_PRIVACIES },
    show_on_map: { type: 'boolean' },
    has_variants: { type: 'boolean' },
    variants: { type: 'array', items: variantSchema, description: 'Only with `with_variants=true`.' },
    version: { type: 'integer', minimum: 1 },
  },
} as const;

export const productPageSchema = {
  type: 'object',
  title: 'ProductPage',
  required: ['products', 'total_count'],
  properties: {
    products: { type: 'array', items: productSchema },
    total_count: { type: 'integer', description: 'Listing: every match. Lookups by id or SKU: the number returned.' },
  },
} as const;

const nullableText = { type: ['string', 'null'] } as const;
const coordinate = { type: ['number', 'null'] } as const;

/** The members of ProductInput (create) in snake_case. */
const productInputProperties = {
  name: { type: 'string', description: '3-255 characters.' },
  description: { ...nullableText, description: 'At most 5000 characters.' },
  price: { ...moneyInput, description: `${moneyInput.description} Must be greater than 0.` },
  currency: { type: 'string', description: 'ISO 4217.' },
  category_id: idSchema,
  sku: { ...nullableText, description: 'Unique among the storefront’s live products.' },
  barcode: nullableText,
  stock_quantity: { type: 'integer', minimum: 0 },
  is_active: { type: 'boolean', description: 'Default true: created active; false creates a draft.' },
  attributes: attributeMap,
  has_individual_location: { type: 'boolean' },
  individual_address: nullableText,
  individual_latitude: coordinate,
  individual_longitude: coordinate,
  location_privacy: { type: ['string', 'null'], enum: [...LOCATION_PRIVACIES, null] },
  show_on_map: { type: 'boolean' },
  has_variants: { type: 'boolean', description: 'Needed before variants can be added.' },
} as const;

export const productInputSchema = strictObject(
  productInputProperties,
  ['name', 'price', 'currency', 'category_id', 'stock_quantity'],
  { title: 'ProductInput' },
);

const updateMask = {
  type: 'array',
  items: { type: 'string' },
  maxItems: 50,
  description:
    'Optional field mask: apply only these present members. Proto names (`name`, `is_active`), column names ' +
    '(`title`, `status`, `quantity`) and camelCase are accepted.',
} as const;

const productPatchProperties = {
  ...productInputProperties,
  attributes: { ...attributeMap, type: ['object', 'null'], description: 'Replaces the whole object; null clears.' },
  update_mask: updateMask,
} as const;

export const productPatchSchema = strictObject(productPatchProperties, [], {
  title: 'ProductUpdate',
  description: 'A partial update: at least one member (`products.no_fields_to_update`).',
});

export const bulkCreateBody = strictObject(
  { products: { type: 'array', items: productInputSchema, description: '1-1000 products.' } },
  ['products'],
);

export const bulkUpdateBody = strictObject(
  {
    updates: {
      type: 'array',
      description: '0-1000 partial updates, each naming its product.',
      items: strictObject({ product_id: idSchema, ...productPatchProperties }, ['product_id']),
    },
  },
  ['updates'],
);

export const bulkDeleteBody = strictObject(
  {
    product_ids: { type: 'array', items: { type: 'integer' }, description: '1-1000 ids; repeats count once.' },
    hard_delete: {
      type: 'boolean',
      default: false,
      description: 'Remove the rows (and variants) instead of soft delete.',
    },
  },
  ['product_ids'],
);

export const bulkErrorSchema = {
  type: 'object',
  required: ['index', 'error_code', 'error_message'],
  properties: {
    index: { type: 'integer', description: '0-based position in the request.' },
    product_id: idSchema,
    error_code: { type: 'string', description: 'Dotted catalogue code, e.g. `products.sku_duplicate`.' },
    error_message: { type: 'string' },
  },
} as const;

export const bulkProductsResultSchema = {
  type: 'object',
  title: 'BulkProductsResult',
  required: ['products', 'successful_count', 'failed_count', 'errors'],
  properties: {
    products: { type: 'array', items: productSchema },
    successful_count: { type: 'integer' },
    failed_count: { type: 'integer' },
    errors: { type: 'array', items: bulkErrorSchema },
  },
} as const;

const variantInputProperties = {
  sku: nullableText,
  barcode: nullableText,
  price: { ...moneyInput, type: ['number', 'null'], description: 'Absent or null: the product price.' },
  compare_at_price: { ...moneyInput, type: ['number', 'null'] },
  cost_price: { ...moneyInput, type: ['number', 'null'], description: 'May be 0.' },
  stock_quantity: { type: 'integer', minimum: 0 },
  low_stock_threshold: { type: ['integer', 'null'], minimum: 0, description: 'Absent or null: 5.' },
  variant_attributes: attributeMap,
  weight: { type: ['number', 'null'], description: 'Grams.' },
  dimensions: { ...attributeMap, type: ['object', 'null'] },
  is_default: { type: 'boolean', description: 'Take the default from the other variants.' },
} as const;

export const variantInputSchema = strictObject(variantInputProperties, ['stock_quantity'], {
  title: 'ProductVariantInput',
  description: 'A new variant; it is created active.',
});

export const variantPatchSchema = strictObject(
  {
    ...variantInputProperties,
    variant_attributes: { ...attributeMap, type: ['object', 'null'] },
    low_stock_threshold: { type: ['integer', 'null'], minimum: 0, description: 'null: no low-stock state.' },
    is_active: { type: 'boolean', description: 'The last active variant cannot be deactivated.' },
    update_mask: { ...updateMask, description: 'Optional field mask (variant member names).' },
  },
  [],
  { title: 'ProductVariantUpdate', description: 'A partial update: at least one member.' },
);

export const bulkVariantsBody = strictObject(
  { variants: { type: 'array', items: variantInputSchema, description: '1-1000 variants, at most one default.' } },
  ['variants'],
);
