import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../src/domain/errors.ts';
import { CREATE_PRODUCT_SCOPE } from '../../../src/products/create-product.ts';
import { productJson } from '../json/product.ts';
import {
  idempotencyKeyHeader,
  idParams,
  idSchema,
  idsParams,
  limitQuery,
  problems,
  strictObject,
  writeProblems,
} from '../schemas/common.ts';
import { productInputSchema, productPageSchema, productPatchSchema, productSchema } from '../schemas/product.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import { API_PREFIX, callOptions, created } from './call-options.ts';
import { type Body, productInput, productPatch } from './product-input.ts';
import { representationEtag, withEtag } from './representation-etag.ts';
import type { ApiRouteOptions } from './use-cases.ts';

const TAGS = ['products'];

type StorefrontParams = { storefrontId: number };
type ProductParams = { storefrontId: number; productId: number };

const storefrontParams = idParams('storefrontId', 'The storefront id.');
const productParams = idsParams({ storefrontId: 'The storefront id.', productId: 'The product id.' });
const productResponse = (description: string) => ({ ...productSchema, description });
const productNotFound = problems.notFound('The product (of this storefront)');
const skuTaken = problems.conflict('The SKU is already used by a live product of the storefront.');

/**
 * Products: a storefront's `b2c` listings in the Product message's terms, matching the gRPC product RPCs. Reads
 * are public; writes are the storefront owner's (or an admin's or a service's). Bulk calls report per-item
 * failures in an OK answer, as the RPCs do (product-bulk.ts). Product writes do not take `If-Match` (the product
 * use cases have no expected version); the `ETag` serves caching only.
 */
export async function productRoutes(app: FastifyInstance, options: ApiRouteOptions<'products'>): Promise<void> {
  const products = options.useCases.products;
  installStrictInput(app);

  app.get<{ Params: StorefrontParams; Querystring: { page: number; page_size: number; is_active_only: boolean } }>(
    '/storefronts/:storefrontId/products',
    {
      config: { timeout: 'list' },
      schema: {
        tags: TAGS,
        summary: "A storefront's products",
        description: 'Newest first, page-based (ListProducts). Drafts and inactive products are included by default.',
        params: storefrontParams,
        querystring: strictObject({
          page: { type: 'integer', minimum: 1, default: 1 },
          page_size: limitQuery(20),
          is_active_only: { type: 'boolean', default: false },
        }),
        response: { 200: { ...productPageSchema, description: 'One page.' }, ...problems.badRequest },
      },
    },
    async (request) => {
      const { page, page_size: pageSize, is_active_only: isActiveOnly } = request.query;
      const result = await products.list.execute(request.principal, {
        storefrontId: request.params.storefrontId,
        page,
        pageSize,
        isActiveOnly,
      });
      return { products: result.products.map(productJson), total_count: result.totalCount };
    },
  );

  app.get<{ Querystring: { ids?: number[]; skus?: string[]; storefront_id?: number } }>(
    '/products',
    {
      config: { timeout: 'list' },
      schema: {
        tags: TAGS,
        summary: 'Products by ids or by SKUs',
        description:
          'GetProductsByIDs (`ids=1&ids=2`) or GetProductsBySKUs (`skus=A&skus=B`), 1-100 keys, one of the two: ' +
          'active live products, id ascending; unknown keys are left out.',
        querystring: strictObject({
          ids: { type: 'array', items: idSchema, maxItems: 100 },
          skus: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 100 },
          storefront_id: idSchema,
        }),
        response: { 200: { ...productPageSchema, description: 'The products found.' }, ...problems.badRequest },
      },
    },
    async (request) => {
      const { ids, skus, storefront_id: storefrontId } = request.query;
      if ((ids === undefined) === (skus === undefined)) {
        const message = 'give either ids or skus';
        throw validation('ids', message);
      }
      const found =
        ids !== undefined
          ? await products.find.byIds(request.principal, { productIds: ids, storefrontId: storefrontId ?? null })
          : await products.find.bySkus(request.principal, { skus: skus ?? [], storefrontId: storefrontId ?? null });
      return { products: found.products.map(productJson), total_count: found.totalCount };
    },
  );

  app.get<{ Params: { id: number }; Querystring: { with_variants: boolean } }>(
    '/products/:id',
    {
      config: { timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: 'Get a product',
        description: 'Any storefront. Sends an `ETag`; `If-None-Match` with it answers 304.',
        params: idParams('id', 'The product id.'),
        querystring: strictObject({ with_variants: { type: 'boolean', default: false } }),
        response: { 200: productResponse('The product.'), ...problems.badRequest, ...productNotFound },
      },
    },
    async (request, reply) => {
      const product = await products.get.execute(request.principal, {
        productId: request.params.id,
        withVariants: request.query.with_variants,
      });
      return withEtag(request, reply, product.version, productJson(product));
    },
  );

  app.get<{ Params: ProductParams; Querystring: { with_variants: boolean } }>(
    '/storefronts/:storefrontId/products/:productId',
    {
      config: { timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: 'Get a product of a storefront',
        params: productParams,
        querystring: strictObject({ with_variants: { type: 'boolean', default: false } }),
        response: { 200: productResponse('The product.'), ...problems.badRequest, ...productNotFound },
      },
    },
    async (request, reply) => {
      const product = await products.get.execute(request.principal, {
        productId: request.params.productId,
        storefrontId: request.params.storefrontId,
        withVariants: request.query.with_variants,
      });
      return withEtag(request, reply, product.version, productJson(product));
    },
  );

  app.post<{ Params: StorefrontParams; Body: Body }>(
    '/storefronts/:storefrontId/products',
    {
      config: { auth: 'required', timeout: 'create' },
      schema: {
        tags: TAGS,
        summary: 'Create a product',
        description: 'Owned by the storefront owner; created active unless `is_active` is false.',
        params: storefrontParams,
        headers: idempotencyKeyHeader,
        body: productInputSchema,
        response: {
          201: productResponse('Created; `Location` names it.'),
          ...writeProblems,
          ...problems.notFound('The storefront'),
          ...skuTaken,
          ...problems.unprocessable,
        },
      },
    },
    async (request, reply) => {
      const storefrontId = request.params.storefrontId;
      const { product, replayed } = await products.create.execute(
        request.principal,
        { storefrontId, ...productInput(request.body) },
        callOptions(request, CREATE_PRODUCT_SCOPE),
      );
      const document = productJson(product);
      created(reply, `${API_PREFIX}/storefronts/${storefrontId}/products/${product.id}`, replayed);
      reply.header('etag', representationEtag(product.version, document));
      return document;
    },
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route<{ Params: ProductParams; Body: Body }>({
      method,
      url: '/storefronts/:storefrontId/products/:productId',
      config: { auth: 'required', timeout: 'update' },
      schema: {
        tags: TAGS,
        summary: method === 'PATCH' ? 'Update a product' : 'Update a product (PUT, same as PATCH)',
        description: 'Changes the members present (optionally only those in `update_mask`).',
        params: productParams,
        body: productPatchSchema,
        response: {
          200: productResponse('The product as stored now.'),
          ...writeProblems,
          ...productNotFound,
          ...problems.conflict('The SKU is taken, or the status change is not allowed.'),
        },
      },
      handler: async (request, reply) => {
        const { storefrontId, productId } = request.params;
        const product = await products.update.execute(request.principal, {
          storefrontId,
          productId,
          ...productPatch(request.body),
        });
        const document = productJson(product);
        reply.header('etag', representationEtag(product.version, document));
        return document;
      },
    });
  }

  app.delete<{ Params: ProductParams; Querystring: { hard: boolean } }>(
    '/storefronts/:storefrontId/products/:productId',
    {
      config: { auth: 'required', timeout: 'delete' },
      schema: {
        tags: TAGS,
        summary: 'Delete a product',
        description: 'Soft by default (`is_deleted`, `deleted_at`); `hard=true` removes the row and its variants.',
        params: productParams,
        querystring: strictObject({ hard: { type: 'boolean', default: false } }),
        response: {
          200: {
            type: 'object',
            description: 'Deleted.',
            required: ['message', 'variants_deleted'],
            properties: {
              message: { type: 'string' },
              variants_deleted: { type: 'integer', description: 'Variants removed by a hard delete.' },
            },
          },
          ...writeProblems,
          ...productNotFound,
        },
      },
    },
    async (request) => {
      const result = await products.delete.execute(request.principal, {
        storefrontId: request.params.storefrontId,
        productId: request.params.productId,
        hardDelete: request.query.hard,
      });
      return { message: result.message, variants_deleted: result.variantsDeleted };
    },
  );
}

function validation(field: string, message: string) {
  return new AppError('VALIDATION_FAILED', message, { violations: [{ field, reason: 'required', message }] });
}
