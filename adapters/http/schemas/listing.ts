/**
 * JSON Schemas of the listing resource: the document every listing route answers with, and the bodies and
 * queries of the listing routes. The rules the domain enforces (title 3-255 characters, price > 0, ISO 4217
 * currency, status transitions) are described here and checked there, so each message keeps the original's text.
 */
import { LISTING_STATUSES, SOURCE_TYPES, VISIBILITIES } from '../../../src/domain/listing-status.ts';
import { STOCK_STATUSES } from '../../../src/domain/stock-status.ts';
import {
  attributeMap,
  idSchema,
  limitQuery,
  money,
  moneyInput,
  offsetQuery,
  strictObject,
  stringMap,
  timestamp,
} from './common.ts';

export const imageSchema = {
  type: 'object',
  title: 'ListingImage',
  description: 'Image metadata; the bytes are in object storage. Null members are omitted.',
  required: ['id', 'listing_id', 'url', 'display_order', 'is_primary', 'created_at', 'updated_at'],
  properties: {
    id: idSchema,
    listing_id: idSchema,
    url: { type: 'string' },
    storage_path: { type: 'string' },
    thumbnail_url: { type: 'string' },
    thumbnails: { ...stringMap, description: 'Derivative name (`small`, `medium`…) → URL.' },
    display_order: { type: 'integer' },
    is_primary: { type: 'boolean', description: 'Exactly one image of a listing with images is primary.' },
    width: { type: 'integer' },
    height: { type: 'integer' },
    file_size: { type: 'integer', description: 'Bytes.' },
    mime_type: { type: 'string' },
    created_at: timestamp,
    updated_at: timestamp,
  },
} as const;

export const locationSchema = {
  type: 'object',
  title: 'ListingLocation',
  properties: {
    id: idSchema,
    listing_id: idSchema,
    country: { type: 'string' },
    city: { type: 'string' },
    postal_code: { type: 'string' },
    address_line1: { type: 'string' },
    address_line2: { type: 'string' },
    latitude: { type: 'number' },
    longitude: { type: 'number' },
    created_at: timestamp,
    updated_at: timestamp,
  },
} as const;

export const listingSchema = {
  type: 'object',
  title: 'Listing',
  description:
    'A listing, sent as the body itself (no `{"data": ...}` envelope): C2C (no storefront) or a storefront ' +
    'product (`source_type` b2c). Members whose value is null ' +
    '(`storefront_id`, `description`, `sku`, `published_at`, `deleted_at`…) and empty relations (`images`, ' +
    '`tags`, `attributes`, `location`) are omitted, as the original did. `version` rises with every change of ' +
    'the row (not with view or favorite counters, nor with image changes).',
  required: [
    'id',
    'uuid',
    'user_id',
    'title',
    'price',
    'currency',
    'category_id',
    'status',
    'visibility',
    'quantity',
    'source_type',
    'views_count',
    'favorites_count',
    'created_at',
    'updated_at',
    'is_deleted',
    'version',
  ],
  properties: {
    id: idSchema,
    uuid: { type: 'string', format: 'uuid' },
    user_id: { ...idSchema, description: 'The owner (for a product: the storefront owner).' },
    storefront_id: { ...idSchema, description: 'Set for B2C listings (products) only.' },
    title: { type: 'string' },
    description: { type: 'string' },
    price: money,
    currency: { type: 'string', description: 'ISO 4217, e.g. RSD.' },
    category_id: idSchema,
    status: { type: 'string', enum: LISTING_STATUSES },
    visibility: { type: 'string', enum: VISIBILITIES },
    quantity: { type: 'integer' },
    sku: { type: 'string' },
    source_type: { type: 'string', enum: SOURCE_TYPES },
    stock_status: { type: 'string', enum: STOCK_STATUSES },
    views_count: { type: 'integer' },
    favorites_count: { type: 'integer' },
    created_at: timestamp,
    updated_at: timestamp,
    published_at: { ...timestamp, description: 'When the listing last went live.' },
    deleted_at: timestamp,
    is_deleted: { type: 'boolean' },
    images: { type: 'array', items: imageSchema, description: 'Primary first, then display order.' },
    tags: { type: 'array', items: { type: 'string' } },
    location: locationSchema,
    attributes: {
      ...attributeMap,
      description:
        'The attribute object merged with the `listing_attributes` rows (a row wins for a key in both, as in search).',
    },
    version: {
      type: 'integer',
      minimum: 1,
      description: 'Optimistic-concurrency version; the ETag is derived from it.',
    },
  },
} as const;

export const listingPageSchema = {
  type: 'object',
  title: 'ListingPage',
  description:
    'A page is the body itself: `{"listings": [...], "total": n}`, with no `{"data": ...}` envelope (the ' +
    "original's server never sent one, whatever its client library expected). `listings` is `[]`, never null.",
  required: ['listings', 'total'],
  properties: {
    listings: { type: 'array', items: listingSchema },
    total: { type: 'integer', description: 'Every match, not only this page.' },
    next_cursor: {
      type: 'string',
      description: 'Pass as `cursor` for the next page (keyset paging, stable under inserts); absent on the last page.',
    },
  },
} as const;

export const listListingsQuery = strictObject({
  limit: limitQuery(20),
  offset: { ...offsetQuery, description: 'Rows to skip; must be 0 with `cursor`.' },
  cursor: { type: 'string', maxLength: 1000, description: '`next_cursor` of the previous page.' },
  user_id: { ...idSchema, description: 'Only this owner. Owners see all their statuses; others only `active`.' },
  storefront_id: idSchema,
  category_id: idSchema,
  status: { type: 'string', enum: LISTING_STATUSES },
  min_price: { type: 'number', minimum: 0 },
  max_price: { type: 'number', minimum: 0 },
});

const title = { type: 'string', description: '3-255 characters.' } as const;
const description = { type: ['string', 'null'], description: 'At most 10 000 characters; null clears it.' } as const;
const sku = { type: ['string', 'null'], description: 'At most 100 characters; null clears it.' } as const;

export const createListingBody = strictObject(
  {
    user_id: {
      ...idSchema,
      description: 'The owner. Defaults to the caller; only admins and services may name another user.',
    },
    storefront_id: { ...idSchema, description: "Makes it a product (b2c) of this storefront; must be the owner's." },
    title,
    description,
    price: { ...moneyInput, description: `${moneyInput.description} Must be greater than 0.` },
    currency: { type: 'string', description: 'ISO 4217 (3 letters).' },
    category_id: { ...idSchema, description: 'An active category.' },
    quantity: { type: 'integer', minimum: 0 },
    sku,
    source_type: {
      type: 'string',
      enum: SOURCE_TYPES,
      description: 'Optional (the original required it): must agree with `storefront_id`, which decides.',
    },
    visibility: { type: 'string', enum: VISIBILITIES, description: 'Default `public`.' },
    attributes: attributeMap,
  },
  ['title', 'price', 'currency', 'category_id', 'quantity'],
  { title: 'CreateListing', description: 'A new listing; it starts as a `draft`.' },
);

export const updateListingBody = strictObject(
  {
    user_id: { ...idSchema, description: "The original's owner claim: must be the caller unless admin/service." },
    title,
    description,
    price: moneyInput,
    quantity: { type: 'integer', minimum: 0 },
    status: {
      type: 'string',
      enum: LISTING_STATUSES,
      description:
        'draft → active/archived; active → inactive/sold/archived; inactive → active/archived; sold → ' +
        'active/archived; archived is final. A forbidden move is 409.',
    },
    visibility: { type: 'string', enum: VISIBILITIES },
    currency: { type: 'string' },
    category_id: idSchema,
    sku,
    attributes: {
      ...attributeMap,
      type: ['object', 'null'],
      description: 'Replaces the whole object; null clears it.',
    },
  },
  [],
  {
    title: 'UpdateListing',
    description:
      'A partial update: the members present are changed; at least one besides `user_id` is required ' +
      '(`at least one field must be provided for update`).',
  },
);
