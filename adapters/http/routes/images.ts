import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ListingImage } from '../../../src/domain/image.ts';
import { imageNotFound } from '../../../src/images/image-errors.ts';
import { imageJson } from '../json/listing.ts';
import { idParams, idSchema, idsParams, problems, strictObject, writeProblems } from '../schemas/common.ts';
import { imageSchema } from '../schemas/listing.ts';
import { installStrictInput } from '../schemas/strict-input.ts';
import { servedByMicroservice } from './call-options.ts';
import type { ApiRouteOptions, ImageUseCases } from './use-cases.ts';

const TAGS = ['images'];

const imageListSchema = {
  type: 'object',
  title: 'ImageList',
  required: ['images'],
  properties: { images: { type: 'array', items: imageSchema, description: 'Primary first, then display order.' } },
} as const;

const imageParams = idsParams({ id: 'The listing id.', imageId: 'The image id.' });
type ImageParams = { id: number; imageId: number };

/**
 * Image metadata of a listing (`listing_images`): read, reorder, choose the primary one, delete. Uploads are served
 * by the upload routes; this file never touches object storage. Writes are the listing owner's (or an admin's or
 * a service's), and an image is addressed under its own listing: another listing's image id is 404.
 */
export async function imageRoutes(app: FastifyInstance, options: ApiRouteOptions<'images'>): Promise<void> {
  const images = options.useCases.images;
  installStrictInput(app);
  app.addHook('onSend', servedByMicroservice);

  app.get<{ Params: { id: number } }>(
    '/listings/:id/images',
    {
      config: { timeout: 'get' },
      schema: {
        tags: TAGS,
        summary: "A listing's images",
        params: idParams('id', 'The listing id.'),
        response: {
          200: { ...imageListSchema, description: 'The images.' },
          ...problems.badRequest,
          ...problems.notFound('The listing'),
        },
      },
    },
    async (request) => ({
      images: (await images.queries.list(request.principal, { listingId: request.params.id })).map(imageJson),
    }),
  );

  app.put<{ Params: { id: number }; Body: { image_ids: number[] } }>(
    '/listings/:id/images/order',
    {
      config: { auth: 'required', timeout: 'update' },
      schema: {
        tags: TAGS,
        summary: 'Reorder images',
        description:
          "`image_ids` lists each of the listing's images exactly once, in the wanted order; `display_order` " +
          "becomes each image's position. The primary image stays first in lists.",
        params: idParams('id', 'The listing id.'),
        body: strictObject({ image_ids: { type: 'array', items: idSchema, maxItems: 100 } }, ['image_ids']),
        response: {
          200: { ...imageListSchema, description: 'The images in their new order.' },
          ...writeProblems,
          ...problems.notFound('The listing'),
        },
      },
    },
    async (request) => {
      const listingId = request.params.id;
      const ordered = await images.change.reorder(request.principal, { listingId, imageIds: request.body.image_ids });
      return { images: ordered.map(imageJson) };
    },
  );

  app.post<{ Params: ImageParams }>(
    '/listings/:id/images/:imageId/primary',
    {
      config: { auth: 'required', timeout: 'update' },
      schema: {
        tags: TAGS,
        summary: 'Make an image the primary one',
        params: imageParams,
        response: {
          200: { ...imageListSchema, description: "The listing's images, the chosen one first." },
          ...writeProblems,
          ...problems.notFound('The listing or the image'),
        },
      },
    },
    async (request) => {
      await imageOfListing(images, request);
      const all = await images.change.setPrimary(request.principal, { imageId: request.params.imageId });
      return { images: all.map(imageJson) };
    },
  );

  app.delete<{ Params: ImageParams }>(
    '/listings/:id/images/:imageId',
    {
      config: { auth: 'required', timeout: 'delete' },
      schema: {
        tags: TAGS,
        summary: 'Delete an image',
        description:
          'Removes the image (and, when the service stored it, its objects); deleting the primary image promotes ' +
          'the next one.',
        params: imageParams,
        response: {
          204: { description: 'Deleted.', type: 'null' },
          ...writeProblems,
          ...problems.notFound('The listing or the image'),
        },
      },
    },
    async (request, reply) => {
      await imageOfListing(images, request);
      await images.delete.delete(request.principal, { imageId: request.params.imageId });
      return reply.code(204).send();
    },
  );
}

/** The image, if the caller can see it and it belongs to the listing of the path; IMAGE_NOT_FOUND otherwise. */
async function imageOfListing(
  images: ImageUseCases,
  request: FastifyRequest<{ Params: ImageParams }>,
): Promise<ListingImage> {
  const { id, imageId } = request.params;
  const image = await images.queries.get(request.principal, { imageId });
  if (image.listingId !== id) throw imageNotFound(imageId);
  return image;
}
