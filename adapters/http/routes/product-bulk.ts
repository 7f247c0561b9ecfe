import type { FastifyInstance } from 'fastify';
import { bulkErrorJson, productJson } from '../json/product.ts';
import { problemResponse } from '../problem-schema.ts';
import { idParams, writeProblems } from '../schemas/common.ts';
import {
  bulkCreateBody,
  bulkDeleteBody,
  bulkErrorSchema,
  bulkProductsResultSchema,
  bulkUpdateBody,
} from '../schemas/product.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import { callOptions } from './call-options.ts';
import { type Body, productInput, productPatch } from './product-input.ts';
import type { ApiRouteOptions } from './use-cases.ts';

const TAGS = ['products'];
/** Bulk operations refuse to start with less than 5 s left; give them room for 1000 items. */
const BULK_TIMEOUT_MS = 60_000;

type StorefrontParams = { storefrontId: number };
const storefrontParams = idParams('storefrontId', 'The storefront id.');

/**
 * Bulk product writes of a storefront (BulkCreateProducts, BulkUpdateProducts, BulkDeleteProducts): per-item
 * failures are reported in an OK answer (`errors`, by input index), as the RPCs do; input that breaks the batch's
 * own rules fails the whole request with 400.
 */
export async function productBulkRoutes(app: FastifyInstance, options: ApiRouteOptions<'products'>): Promise<void> {
  const products = options.useCases.products;
  installStrictInput(app);

  app.post<{ Params: StorefrontParams; Body: { products: Body[] } }>(
    '/storefronts/:storefrontId/products/bulk',
    {
      config: { auth: 'required', timeout: BULK_TIMEOUT_MS },
      schema: {
        tags: TAGS,
        summary: 'Create products in bulk',
        description:
          'Invalid input fails the whole request (400, each problem by index). A SKU already used (by the ' +
          'storefront or an earlier item) fails that item only, reported in `errors`.',
        params: storefrontParams,
        body: bulkCreateBody,
        response: { 200: { ...bulkProductsResultSchema, description: 'Per-item outcome.' }, ...writeProblems },
      },
    },
    async (request) => {
      const result = await products.bulkCreate.execute(request.principal, {
        storefrontId: request.params.storefrontId,
        products: request.body.products.map(productInput),
      });
      return {
        products: result.products.map(productJson),
        successful_count: result.successfulCount,
        failed_count: result.failedCount,
        errors: result.errors.map(bulkErrorJson),
      };
    },
  );

  app.patch<{ Params: StorefrontParams; Body: { updates: Body[] } }>(
    '/storefronts/:storefrontId/products/bulk',
    {
      config: { auth: 'required', timeout: BULK_TIMEOUT_MS },
      schema: {
        tags: TAGS,
        summary: 'Update products in bulk',
        description: 'Each item on its own: a failing item is reported in `errors` and the others still apply.',
        params: storefrontParams,
        body: bulkUpdateBody,
        response: { 200: { ...bulkProductsResultSchema, description: 'Per-item outcome.' }, ...writeProblems },
      },
    },
    async (request) => {
      const result = await products.bulkUpdate.execute(request.principal, {
        storefrontId: request.params.storefrontId,
        updates: request.body.updates.map((update) => ({
          productId: update.product_id as number,
          ...productPatch(update),
        })),
      });
      return {
        products: result.products.map(productJson),
        successful_count: result.successfulCount,
        failed_count: result.failedCount,
        errors: result.errors.map(bulkErrorJson),
      };
    },
  );

  app.post<{ Params: StorefrontParams; Body: { product_ids: number[]; hard_delete: boolean } }>(
    '/storefronts/:storefrontId/products/bulk-delete',
    {
      config: { auth: 'required', timeout: BULK_TIMEOUT_MS },
      schema: {
        tags: TAGS,
        summary: 'Delete products in bulk',
        description: 'Ids that are missing, deleted already or of another storefront are reported in `errors`.',
        params: storefrontParams,
        body: bulkDeleteBody,
        response: {
          200: {
            type: 'object',
            description: 'Per-item outcome.',
            required: ['successful_count', 'failed_count', 'variants_deleted', 'errors'],
            properties: {
              successful_count: { type: 'integer' },
              failed_count: { type: 'integer' },
              variants_deleted: { type: 'integer' },
              errors: { type: 'array', items: bulkErrorSchema },
            },
          },
          ...writeProblems,
          504: problemResponse('Less than 5 s were left of the deadline, or it passed during the operation.'),
        },
      },
    },
    async (request) => {
      const result = await products.bulkDelete.execute(
        request.principal,
        {
          storefrontId: request.params.storefrontId,
          productIds: request.body.product_ids,
          hardDelete: request.body.hard_delete,
        },
        callOptions(request),
      );
      return {
        successful_count: result.successfulCount,
        failed_count: result.failedCount,
        variants_deleted: result.variantsDeleted,
        errors: result.errors.map(bulkErrorJson),
      };
    },
  );
}
