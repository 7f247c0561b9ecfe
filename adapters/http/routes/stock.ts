import type { FastifyInstance } from 'fastify';
import { availabilityJson, productStatsJson, stockOperationJson, stockResultJson } from '../json/stock.ts';
import { problemResponse } from '../problem-schema.ts';
import { idParams, problems, strictObject, writeProblems } from '../schemas/common.ts';
import {
  availabilitySchema,
  batchUpdateBody,
  batchUpdateResult,
  movementBody,
  movementResult,
  productStatsSchema,
  stockItems,
  stockOperation,
} from '../schemas/stock.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import { callOptions } from './call-options.ts';
import type { ApiRouteOptions } from './use-cases.ts';

const TAGS = ['stock'];

const serviceProblems = {
  ...problems.badRequest,
  ...problems.unauthorized,
  403: problemResponse('Stock operations need the `service` (or `admin`) role.'),
};

type StockItemBody = { product_id: number; variant_id?: number | null; quantity: number };

function toStockItems(body: readonly StockItemBody[]) {
  return body.map((item) => ({
    productId: item.product_id,
    variantId: item.variant_id ?? null,
    quantity: item.quantity,
  }));
}

/**
 * The order path's stock operations and the inventory RPCs (flaw #2: services only), product stats for the
 * storefront owner, and product views for anyone. Same rules, texts and per-item results as the gRPC RPCs.
 */
export async function stockRoutes(app: FastifyInstance, options: ApiRouteOptions<'stock'>): Promise<void> {
  const stock = options.useCases.stock;
  installStrictInput(app);

  app.post<{ Body: { items: StockItemBody[]; order_id?: string } }>(
    '/stock/decrement',
    {
      config: { auth: 'required', timeout: 'update' },
      schema: {
        tags: TAGS,
        summary: 'Decrement stock (order placed)',
        description: 'All or nothing under row locks; `order_id` is recorded on the `sale` movements.',
        body: strictObject({ items: stockItems, order_id: { type: 'string', maxLength: 255 } }, ['items']),
        response: { 200: { ...stockOperation }, ...serviceProblems },
      },
    },
    async (request) =>
      stockOperationJson(
        await stock.decrement.execute(request.principal, {
          items: toStockItems(request.body.items),
          orderId: request.body.order_id ?? null,
        }),
      ),
  );

  app.post<{ Body: { items: StockItemBody[]; order_id?: string } }>(
    '/stock/rollback',
    {
      config: { auth: 'required', timeout: 'update' },
      schema: {
        tags: TAGS,
        summary: 'Give back what an order took',
        description: 'Idempotent per (`order_id`, product, variant): a retry restores nothing and still succeeds.',
        body: strictObject({ items: stockItems, order_id: { type: 'string', maxLength: 255 } }, ['items']),
        response: { 200: { ...stockOperation }, ...serviceProblems },
      },
    },
    async (request) =>
      stockOperationJson(
        await stock.rollback.execute(request.principal, {
          items: toStockItems(request.body.items),
          orderId: request.body.order_id ?? null,
        }),
      ),
  );

  app.post<{ Body: { items: StockItemBody[] } }>(
    '/stock/check',
    {
      config: { auth: 'required', timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: 'Check stock availability',
        description: 'Read-only, no locks. A missing product or variant has 0 available.',
        body: strictObject({ items: stockItems }, ['items']),
        response: {
          200: availabilitySchema,
          ...serviceProblems,
        },
      },
    },
    async (request) => {
      const result = await stock.check.execute(request.principal, { items: toStockItems(request.body.items) });
      return { all_available: result.allAvailable, items: result.items.map(availabilityJson) };
    },
  );

  app.post<{
    Body: {
      storefront_id: number;
      items: { product_id: number; variant_id?: number | null; quantity: number; reason?: string | null }[];
      reason?: string | null;
      user_id?: number;
    };
  }>(
    '/stock/batch-update',
    {
      config: { auth: 'required', timeout: 60_000 },
      schema: {
        tags: TAGS,
        summary: 'Set stock levels in bulk',
        description: 'Absolute quantities; per-item failures are in `results`, the other items still apply.',
        body: batchUpdateBody,
        response: {
          200: batchUpdateResult,
          ...serviceProblems,
          504: problemResponse('Less than 5 s were left of the deadline, or it passed during the operation.'),
        },
      },
    },
    async (request) => {
      const body = request.body;
      const result = await stock.batchUpdate.execute(
        request.principal,
        {
          storefrontId: body.storefront_id,
          reason: body.reason ?? null,
          userId: body.user_id ?? request.principal?.userId ?? null,
          items: body.items.map((item) => ({
            productId: item.product_id,
            variantId: item.variant_id ?? null,
            quantity: item.quantity,
            reason: item.reason ?? null,
          })),
        },
        callOptions(request),
      );
      return {
        successful_count: result.successfulCount,
        failed_count: result.failedCount,
        results: result.results.map(stockResultJson),
      };
    },
  );

  app.post<{
    Params: { id: number };
    Body: {
      storefront_id: number;
      variant_id?: number | null;
      movement_type: string;
      quantity: number;
      reason?: string | null;
      notes?: string | null;
      user_id?: number;
    };
  }>(
    '/products/:id/movements',
    {
      config: { auth: 'required', timeout: 'update' },
      schema: {
        tags: TAGS,
        summary: 'Record an inventory movement',
        description: '`in` adds, `out` subtracts, `adjustment` sets the absolute value; a negative result is 409.',
        params: idParams('id', 'The product id.'),
        body: movementBody,
        response: {
          200: movementResult,
          ...serviceProblems,
          ...problems.notFound('The product or the variant'),
          ...problems.conflict('Not enough stock for an `out` movement (`inventory.insufficient_stock`).'),
        },
      },
    },
    async (request) => {
      const body = request.body;
      const result = await stock.movement.execute(request.principal, {
        storefrontId: body.storefront_id,
        productId: request.params.id,
        variantId: body.variant_id ?? null,
        movementType: body.movement_type,
        quantity: body.quantity,
        reason: body.reason ?? null,
        notes: body.notes ?? null,
        userId: body.user_id ?? request.principal?.userId ?? 0,
      });
      return { success: result.success, stock_before: result.stockBefore, stock_after: result.stockAfter };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/storefronts/:id/product-stats',
    {
      config: { auth: 'required', timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: "A storefront's product statistics",
        description: 'For the storefront owner, admins and services. An unknown storefront gives zeros.',
        params: idParams('id', 'The storefront id.'),
        response: {
          200: productStatsSchema,
          ...writeProblems,
        },
      },
    },
    async (request) =>
      productStatsJson(await stock.stats.execute(request.principal, { storefrontId: request.params.id })),
  );

  app.post<{ Params: { id: number } }>(
    '/products/:id/views',
    {
      config: { timeout: 'update' },
      schema: {
        tags: TAGS,
        summary: 'Count a product view',
        description: 'Anyone may count a view; it does not change the product’s version.',
        params: idParams('id', 'The product id.'),
        response: {
          200: { type: 'object', required: ['view_count'], properties: { view_count: { type: 'integer' } } },
          ...problems.badRequest,
          ...problems.notFound('The product'),
        },
      },
    },
    async (request) => ({
      view_count: (await stock.views.execute(request.principal, { productId: request.params.id })).viewCount,
    }),
  );
}
