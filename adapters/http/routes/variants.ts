import type { FastifyInstance } from 'fastify';
import { variantJson } from '../json/product.ts';
import { idParams, idsParams, problems, strictObject, writeProblems } from '../schemas/common.ts';
import { bulkVariantsBody, variantInputSchema, variantPatchSchema, variantSchema } from '../schemas/product.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import { API_PREFIX, created } from './call-options.ts';
import { type Body, variantInput, variantPatch } from './product-input.ts';
import type { ApiRouteOptions } from './use-cases.ts';

const TAGS = ['variants'];
const BULK_TIMEOUT_MS = 60_000;

type ProductParams = { id: number };
type VariantParams = { id: number; variantId: number };

const productParams = idParams('id', 'The product id.');
const variantParams = idsParams({ id: 'The product id.', variantId: 'The variant id.' });
const variantList = {
  type: 'object',
  title: 'VariantList',
  required: ['variants'],
  properties: { variants: { type: 'array', items: variantSchema } },
} as const;
const variantResponse = (description: string) => ({ ...variantSchema, description });
const missing = problems.notFound('The product or the variant');
const failedPrecondition = problems.conflict(
  'A variant rule refuses it: the product has no variants enabled (`variants.product_no_variants`), the last ' +
    'active variant cannot be deactivated (`variants.last_variant`), or the SKU is taken (`variants.sku_duplicate`).',
);

/**
 * Product variants, matching the variant RPCs: reads are public; writes are the storefront owner's (or an
 * admin's or a service's). The product must have `has_variants`.
 */
export async function variantRoutes(app: FastifyInstance, options: ApiRouteOptions<'variants'>): Promise<void> {
  const variants = options.useCases.variants;
  installStrictInput(app);

  app.get<{ Params: ProductParams; Querystring: { is_active_only: boolean } }>(
    '/products/:id/variants',
    {
      config: { timeout: 'list' },
      schema: {
        tags: TAGS,
        summary: "A product's variants",
        description: 'Default first, then id. An unknown product has none.',
        params: productParams,
        querystring: strictObject({ is_active_only: { type: 'boolean', default: false } }),
        response: { 200: { ...variantList, description: 'The variants.' }, ...problems.badRequest },
      },
    },
    async (request) => {
      const list = await variants.read.byProduct(request.principal, {
        productId: request.params.id,
        isActiveOnly: request.query.is_active_only,
      });
      return { variants: list.map(variantJson) };
    },
  );

  app.get<{ Params: VariantParams }>(
    '/products/:id/variants/:variantId',
    {
      config: { timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: 'Get a variant',
        params: variantParams,
        response: { 200: variantResponse('The variant.'), ...problems.badRequest, ...missing },
      },
    },
    async (request) =>
      variantJson(
        await variants.read.byId(request.principal, {
          variantId: request.params.variantId,
          productId: request.params.id,
        }),
      ),
  );

  app.post<{ Params: ProductParams; Body: Body }>(
    '/products/:id/variants',
    {
      config: { auth: 'required', timeout: 'create' },
      schema: {
        tags: TAGS,
        summary: 'Create a variant',
        description: 'Created active; the first variant of a product becomes its default.',
        params: productParams,
        body: variantInputSchema,
        response: {
          201: variantResponse('Created; `Location` names it.'),
          ...writeProblems,
          ...missing,
          ...failedPrecondition,
        },
      },
    },
    async (request, reply) => {
      const productId = request.params.id;
      const variant = await variants.create.execute(request.principal, { productId, ...variantInput(request.body) });
      created(reply, `${API_PREFIX}/products/${productId}/variants/${variant.id}`, false);
      return variantJson(variant);
    },
  );

  app.post<{ Params: ProductParams; Body: { variants: Body[] } }>(
    '/products/:id/variants/bulk',
    {
      config: { auth: 'required', timeout: BULK_TIMEOUT_MS },
      schema: {
        tags: TAGS,
        summary: 'Create variants in bulk',
        description: 'All or nothing: one option matrix is created whole or not at all.',
        params: productParams,
        body: bulkVariantsBody,
        response: {
          201: { ...variantList, description: 'Created, in input order.' },
          ...writeProblems,
          ...missing,
          ...failedPrecondition,
        },
      },
    },
    async (request, reply) => {
      const result = await variants.bulkCreate.execute(request.principal, {
        productId: request.params.id,
        variants: request.body.variants.map(variantInput),
      });
      reply.code(201);
      return { variants: result.variants.map(variantJson) };
    },
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route<{ Params: VariantParams; Body: Body }>({
      method,
      url: '/products/:id/variants/:variantId',
      config: { auth: 'required', timeout: 'update' },
      schema: {
        tags: TAGS,
        summary: method === 'PATCH' ? 'Update a variant' : 'Update a variant (PUT, same as PATCH)',
        params: variantParams,
        body: variantPatchSchema,
        response: {
          200: variantResponse('The variant as stored now.'),
          ...writeProblems,
          ...missing,
          ...failedPrecondition,
        },
      },
      handler: async (request) =>
        variantJson(
          await variants.update.execute(request.principal, {
            productId: request.params.id,
            variantId: request.params.variantId,
            ...variantPatch(request.body),
          }),
        ),
    });
  }

  app.delete<{ Params: VariantParams }>(
    '/products/:id/variants/:variantId',
    {
      config: { auth: 'required', timeout: 'delete' },
      schema: {
        tags: TAGS,
        summary: 'Delete a variant',
        description: 'Deleting the default promotes the lowest remaining id; the last one clears `has_variants`.',
        params: variantParams,
        response: { 204: { description: 'Deleted.', type: 'null' }, ...writeProblems, ...missing },
      },
    },
    async (request, reply) => {
      await variants.delete.execute(request.principal, {
        productId: request.params.id,
        variantId: request.params.variantId,
      });
      return reply.code(204).send();
    },
  );
}
