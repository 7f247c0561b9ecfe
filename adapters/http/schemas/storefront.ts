import { STOREFRONT_SORT_FIELDS } from '../../../src/domain/storefront.ts';
import { idSchema, limitQuery, offsetQuery, strictObject, timestamp } from './common.ts';

export const storefrontSchema = {
  type: 'object',
  title: 'Storefront',
  description: 'A storefront (a B2C seller). Null members are omitted.',
  required: ['id', 'user_id', 'slug', 'name', 'country', 'is_active', 'is_verified', 'rating', 'created_at'],
  properties: {
    id: idSchema,
    user_id: idSchema,
    slug: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    logo_url: { type: 'string' },
    banner_url: { type: 'string' },
    phone: { type: 'string' },
    email: { type: 'string' },
    website: { type: 'string' },
    address: { type: 'string' },
    city: { type: 'string' },
    postal_code: { type: 'string' },
    country: { type: 'string', description: 'ISO 3166-1 alpha-2.' },
    latitude: { type: 'number' },
    longitude: { type: 'number' },
    is_active: { type: 'boolean' },
    is_verified: { type: 'boolean' },
    rating: { type: 'number', description: '0.00-5.00.' },
    reviews_count: { type: 'integer' },
    products_count: { type: 'integer' },
    sales_count: { type: 'integer' },
    views_count: { type: 'integer' },
    followers_count: { type: 'integer' },
    created_at: timestamp,
    updated_at: timestamp,
  },
} as const;

export const storefrontPageSchema = {
  type: 'object',
  title: 'StorefrontPage',
  required: ['storefronts', 'total'],
  properties: {
    storefronts: { type: 'array', items: storefrontSchema },
    total: { type: 'integer', description: 'Every match, not only this page.' },
  },
} as const;

export const listStorefrontsQuery = strictObject({
  user_id: idSchema,
  is_active: {
    type: 'boolean',
    description: 'Inactive storefronts are listed for their owner, admins and services only.',
  },
  is_verified: { type: 'boolean' },
  city: { type: 'string', maxLength: 100 },
  limit: limitQuery(20),
  offset: offsetQuery,
  sort_by: { type: 'string', enum: STOREFRONT_SORT_FIELDS, default: 'created_at' },
  sort_order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
});
