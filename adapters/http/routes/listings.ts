import type { FastifyInstance } from 'fastify';
import type { CreateListingInput } from '../../../src/domain/listing.ts';
import { CREATE_LISTING_SCOPE } from '../../../src/listings/create-listing.ts';
import { notModified } from '../conditional.ts';
import { idempotentRequest } from '../idempotency.ts';
import { listingJson } from '../json/listing.ts';
import { problemResponse } from '../problem-schema.ts';
import { idempotencyKeyHeader, idParams, ifMatchHeader, problems, writeProblems } from '../schemas/common.ts';
import {
  createListingBody,
  listingPageSchema,
  listingSchema,
  listListingsQuery,
  updateListingBody,
} from '../schemas/listing.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import { API_PREFIX, created, servedByMicroservice } from './call-options.ts';
import { JSON_CONTENT_TYPE, listingRepresentation } from './listing-representation.ts';
import { expectedVersionOf, representationEtag } from './representation-etag.ts';
import type { ApiRouteOptions } from './use-cases.ts';

interface ListQuery {
  limit: number;
  offset: number;
  cursor?: string;
  user_id?: number;
  storefront_id?: number;
  category_id?: number;
  status?: string;
  min_price?: number;
  max_price?: number;
}

interface CreateBody {
  user_id?: number;
  storefront_id?: number;
  title: string;
  description?: string | null;
  price: number;
  currency: string;
  category_id: number;
  quantity: number;
  sku?: string | null;
  source_type?: string;
  visibility?: string;
  attributes?: Record<string, unknown>;
}

interface UpdateBody {
  user_id?: number;
  title?: string;
  description?: string | null;
  price?: number;
  quantity?: number;
  status?: string;
  visibility?: string;
  currency?: string;
  category_id?: number;
  sku?: string | null;
  attributes?: Record<string, unknown> | null;
}

type IdParams = { id: number };

const TAGS = ['listings'];
const listingResponse = (description: string) => ({ ...listingSchema, description });
const updateResponses = {
  200: listingResponse('The listing as stored now, with its new `ETag`.'),
  ...writeProblems,
  ...problems.notFound('The listing'),
  ...problems.conflict('The status change is not allowed from the current status (`INVALID_STATE`).'),
  ...problems.preconditionFailed,
};

/**
 * The listing resource (original-service.md §4, fixing flaw #33): list with filters and both page styles, read
 * with `ETag`/304, create (201, `Location`, `Idempotency-Key`), partial update by PATCH or PUT with `If-Match`,
 * soft delete, publish and unpublish. Identity always comes from the bearer token; the use cases decide who may.
 */
export async function listingRoutes(app: FastifyInstance, options: ApiRouteOptions<'listings'>): Promise<void> {
  const listings = options.useCases.listings;
  installStrictInput(app);
  app.addHook('onSend', servedByMicroservice);

  app.get<{ Querystring: ListQuery }>(
    '/listings',
    {
      config: { timeout: 'list' },
      schema: {
        tags: TAGS,
        summary: 'List listings',
        description:
          'AND-ed filters over live listings, newest first. Anonymous callers and other users see active public ' +
          'listings only; owners filtering on their own `user_id`, admins and services see every status. Page with ' +
          '`limit`/`offset`, or follow `next_cursor` (keyset paging: no duplicates or gaps while rows are added). ' +
          'The body is the page itself, `{"listings": [...], "total": n, "next_cursor": "..."}`: no `{"data": ...}` ' +
          'envelope on this or any route.',
        querystring: listListingsQuery,
        response: { 200: listingPageSchema, ...problems.badRequest },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await listings.list.execute(request.principal, {
        limit: q.limit,
        offset: q.offset,
        cursor: q.cursor ?? null,
        userId: q.user_id ?? null,
        storefrontId: q.storefront_id ?? null,
        categoryId: q.category_id ?? null,
        status: q.status ?? null,
        minPrice: q.min_price ?? null,
        maxPrice: q.max_price ?? null,
      });
      return {
        listings: page.listings.map(listingJson),
        total: page.total,
        ...(page.nextCursor === null ? {} : { next_cursor: page.nextCursor }),
      };
    },
  );

  app.get<{ Params: IdParams }>(
    '/listings/:id',
    {
      config: { timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: 'Get a listing',
        description:
          'With its images, tags, location and attributes. Sends an `ETag`; `If-None-Match` with it answers 304. ' +
          'Drafts, private and paused listings are visible to their owner (and admins/services) only: 404 otherwise.',
        params: idParams('id', 'The listing id.'),
        response: {
          200: listingResponse('The listing.'),
          304: { description: 'Not modified: the `If-None-Match` tag is current.', type: 'null' },
          ...problems.badRequest,
          ...problems.notFound('The listing'),
        },
      },
    },
    async (request, reply) => {
      const listing = await listings.get.execute(request.principal, { id: request.params.id });
      const { etag, body } = listingRepresentation(listing, reply);
      if (notModified(request, reply, etag)) return reply;
      // Already serialised by the route's schema: a string sent as JSON is not serialised again.
      reply.type(JSON_CONTENT_TYPE);
      return body;
    },
  );

  app.post<{ Body: CreateBody }>(
    '/listings',
    {
      config: { auth: 'required', timeout: 'create' },
      schema: {
        tags: TAGS,
        summary: 'Create a listing',
        description:
          'Creates a `draft` owned by the caller (admins and services may name `user_id`). With `storefront_id` ' +
          "it is a product of that storefront (the caller's own). Every invalid field is reported at once.",
        headers: idempotencyKeyHeader,
        body: createListingBody,
        response: {
          201: listingResponse('Created; `Location` names it, `ETag` tags it.'),
          ...writeProblems,
          ...problems.conflict('A request with this `Idempotency-Key` is still in progress.'),
          ...problems.unprocessable,
        },
      },
    },
    async (request, reply) => {
      const idempotency = idempotentRequest(request, CREATE_LISTING_SCOPE);
      const { listing, replayed } = await listings.create.execute(
        request.principal,
        createInput(request.body),
        idempotency,
      );
      const document = listingJson(listing);
      created(reply, `${API_PREFIX}/listings/${listing.id}`, replayed);
      reply.header('etag', representationEtag(listing.version, document));
      return document;
    },
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route<{ Params: IdParams; Body: UpdateBody }>({
      method,
      url: '/listings/:id',
      config: { auth: 'required', timeout: 'update' },
      schema: {
        tags: TAGS,
        summary: method === 'PATCH' ? 'Update a listing' : 'Update a listing (PUT, same as PATCH)',
        description:
          'Changes the members present (PUT is a partial update too, for clients of the original contract). ' +
          'With `If-Match`, a listing changed since it was read is refused with 412 instead of overwritten. ' +
          'Owner, admin or service only. Setting `status` follows the lifecycle (409 for a forbidden move).',
        params: idParams('id', 'The listing id.'),
        headers: ifMatchHeader,
        body: updateListingBody,
        response: updateResponses,
      },
      handler: async (request, reply) => {
        const body = request.body;
        const { listing } = await listings.update.execute(request.principal, {
          id: request.params.id,
          expectedVersion: expectedVersionOf(request),
          ...(body.user_id === undefined ? {} : { userId: body.user_id }),
          ...present({
            title: body.title,
            description: body.description,
            price: body.price,
            quantity: body.quantity,
            status: body.status,
            visibility: body.visibility,
            currency: body.currency,
            categoryId: body.category_id,
            sku: body.sku,
            attributes: body.attributes,
          }),
        });
        const document = listingJson(listing);
        reply.header('etag', representationEtag(listing.version, document));
        return document;
      },
    });
  }

  app.delete<{ Params: IdParams }>(
    '/listings/:id',
    {
      config: { auth: 'required', timeout: 'delete' },
      schema: {
        tags: TAGS,
        summary: 'Delete a listing',
        description: 'A soft delete (`is_deleted` and `deleted_at`); owner, admin or service only. Honours `If-Match`.',
        params: idParams('id', 'The listing id.'),
        headers: ifMatchHeader,
        response: {
          204: { description: 'Deleted.', type: 'null' },
          ...writeProblems,
          ...problems.notFound('The listing'),
          ...problems.preconditionFailed,
        },
      },
    },
    async (request, reply) => {
      await listings.delete.execute(request.principal, {
        id: request.params.id,
        expectedVersion: expectedVersionOf(request),
      });
      return reply.code(204).send();
    },
  );

  for (const action of ['publish', 'unpublish'] as const) {
    app.post<{ Params: IdParams }>(
      `/listings/:id/${action}`,
      {
        config: { auth: 'required', timeout: 'update' },
        schema: {
          tags: TAGS,
          summary: action === 'publish' ? 'Publish a listing (→ active)' : 'Unpublish a listing (→ inactive)',
          description:
            action === 'publish'
              ? 'Makes the listing `active` and stamps `published_at`; publishing an active listing changes nothing.'
              : 'Pauses an active listing (`inactive`); a draft cannot be unpublished (409).',
          params: idParams('id', 'The listing id.'),
          headers: ifMatchHeader,
          response: {
            ...updateResponses,
            409: problemResponse('The listing cannot move to that status from its own.'),
          },
        },
      },
      async (request, reply) => {
        const input = { id: request.params.id, expectedVersion: expectedVersionOf(request) };
        const { listing } = await listings.status[action](request.principal, input);
        const document = listingJson(listing);
        reply.header('etag', representationEtag(listing.version, document));
        return document;
      },
    );
  }
}

function createInput(body: CreateBody): CreateListingInput {
  return {
    userId: body.user_id ?? 0,
    storefrontId: body.storefront_id ?? null,
    title: body.title,
    description: body.description ?? null,
    price: body.price,
    currency: body.currency,
    categoryId: body.category_id,
    quantity: body.quantity,
    sku: body.sku ?? null,
    sourceType: body.source_type ?? null,
    visibility: body.visibility ?? null,
    ...(body.attributes === undefined ? {} : { attributes: body.attributes }),
  };
}

/** The members that are present (a JSON `null` is present: it clears the field). */
function present<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
