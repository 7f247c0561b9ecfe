import { Readable } from 'node:stream';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, isAppError, validationError } from '../../../src/domain/errors.ts';
import type { ImportImage } from '../../../src/images/import-image.ts';
import type { UploadImage } from '../../../src/images/upload-image.ts';
import { imageJson } from '../json/listing.ts';
import { requirePrincipal } from '../plugins/authentication.ts';
import { problemResponse } from '../problem-schema.ts';
import { idParams, problems, strictObject, writeProblems } from '../schemas/common.ts';
import { imageSchema } from '../schemas/listing.ts';
import { servedByMicroservice } from './call-options.ts';

export interface ImageUploadRouteOptions {
  readonly upload: Pick<UploadImage, 'execute' | 'maxBytes'>;
  readonly importImage: Pick<ImportImage, 'execute'>;
  /** Deadline of one upload or import, in milliseconds; default 60 s. */
  readonly timeoutMs?: number;
}

const TAGS = ['images'];
/** Form fields besides the file: `is_primary`, and room for a client's harmless extras. */
const MAX_FIELDS = 5;

const importBody = strictObject(
  {
    url: { type: 'string', minLength: 1, maxLength: 2048, description: 'An http(s) URL of a JPEG, PNG, WebP or AVIF.' },
    is_primary: { type: 'boolean', description: 'Make it the primary image (the first image is primary anyway).' },
  },
  ['url'],
);

/**
 * `POST /listings/:id/images`: adds an image to a listing, as its owner (or an admin or service).
 * - `multipart/form-data` with one file part (any field name; an `is_primary` field of `true` before it makes it
 *   the primary image): an upload. The file streams to the object store as it arrives, never buffered whole;
 *   Fastify's multipart limit is one byte above the upload limit, so the store sees the overflow and refuses it.
 * - `application/json` `{ "url": "https://…" }`: an import, the service downloads the image.
 * 201 with the image (`url`, `thumbnails`); 413 past the size limit, 415 for a file that is not a JPEG, PNG, WebP
 * or AVIF (whatever its name or declared type), 401/403/404 as for any listing write.
 * Register under the API prefix: `app.register(imageUploadRoutes, { prefix: '/api/v1', upload, importImage })`.
 */
export async function imageUploadRoutes(app: FastifyInstance, options: ImageUploadRouteOptions): Promise<void> {
  const { upload, importImage } = options;
  await app.register(multipart, {
    limits: { fileSize: upload.maxBytes + 1, files: 1, fields: MAX_FIELDS, fieldSize: 1024, parts: MAX_FIELDS + 1 },
  });
  app.addHook('onSend', servedByMicroservice);

  app.post<{ Params: { id: number }; Body: { url: string; is_primary?: boolean } | undefined }>(
    '/listings/:id/images',
    {
      config: { auth: 'required', timeout: options.timeoutMs ?? 60_000 },
      preValidation: strictImportBody,
      schema: {
        tags: TAGS,
        summary: 'Upload or import an image',
        description:
          `Multipart upload (one file, at most ${upload.maxBytes} bytes) or JSON import \`{"url": …}\`. The type ` +
          'is decided from the bytes; two WebP thumbnails (`small` 320 px, `medium` 960 px wide) are made.',
        consumes: ['multipart/form-data', 'application/json'],
        params: idParams('id', 'The listing id.'),
        body: { content: { 'application/json': { schema: importBody } } },
        response: {
          201: { ...imageSchema, description: 'The stored image.' },
          ...writeProblems,
          ...problems.notFound('The listing'),
          413: problemResponse('The file is larger than the upload limit.'),
          415: problemResponse(
            'The file is not a JPEG, PNG, WebP or AVIF image (or the request is neither form nor JSON).',
          ),
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const listingId = request.params.id;
      const signal = request.deadline.signal;
      let image: Awaited<ReturnType<typeof upload.execute>>;
      if (request.isMultipart()) {
        const part = await nextFile(request);
        image = await upload.execute(principal, {
          listingId,
          body: Readable.from(translatedErrors(part.file)),
          declaredContentType: part.mimetype,
          filename: part.filename,
          isPrimary: fieldValue(part, 'is_primary') === 'true',
          signal,
        });
      } else if (request.mediaType === 'application/json') {
        const body = request.body as { url: string; is_primary?: boolean };
        image = await importImage.execute(principal, {
          listingId,
          url: body.url,
          isPrimary: body.is_primary === true,
          signal,
        });
      } else {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the image as multipart/form-data, or JSON {"url": …}');
      }
      // Not `return reply.send()`: the reply is a thenable the deadline race would wait on past the response.
      reply.code(201);
      return imageJson(image);
    },
  );
}

/**
 * Ajv (app.ts) would drop unknown JSON properties and coerce types; a JSON import with `"uri"` or `"is_primary":
 * "yes"` is refused instead, as every other write of this API does (schemas/strict-input.ts, which cannot see a
 * per-content-type body schema).
 */
async function strictImportBody(request: FastifyRequest): Promise<void> {
  if (request.isMultipart() || request.mediaType !== 'application/json') return;
  const body = request.body;
  const violations: { field: string; reason: string; message: string }[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    violations.push({ field: 'body', reason: 'type', message: 'the body must be a JSON object' });
  } else {
    for (const [name, value] of Object.entries(body)) {
      if (!(name in importBody.properties)) {
        violations.push({ field: name, reason: 'additionalProperties', message: 'is not a known field' });
      } else if (name === 'url' && typeof value !== 'string') {
        violations.push({ field: name, reason: 'type', message: 'must be a string' });
      } else if (name === 'is_primary' && typeof value !== 'boolean') {
        violations.push({ field: name, reason: 'type', message: 'must be a boolean' });
      }
    }
  }
  if (violations.length > 0) throw validationError(violations);
}

async function nextFile(request: FastifyRequest): Promise<MultipartFile> {
  let part: MultipartFile | undefined;
  try {
    part = await request.file();
  } catch (error) {
    throw translateMultipartError(error);
  }
  if (part === undefined) {
    throw validationError([{ field: 'file', reason: 'required', message: 'the form has no file part' }]);
  }
  return part;
}

function fieldValue(part: MultipartFile, name: string): string | undefined {
  const field = part.fields[name];
  const first = Array.isArray(field) ? field[0] : field;
  return first !== undefined && first.type === 'field' ? String(first.value) : undefined;
}

/** The file part's bytes; a malformed or cut-off form becomes a catalogue error the store passes through. */
async function* translatedErrors(file: Readable): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of file) yield chunk as Buffer;
  } catch (error) {
    throw translateMultipartError(error);
  }
}

function translateMultipartError(error: unknown): unknown {
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE', 'the file is too large');
  const message = error instanceof Error ? error.message : String(error);
  return validationError(
    [{ field: 'body', reason: 'malformed', message: `the multipart form could not be read: ${message}` }],
    `the multipart form could not be read: ${message}`,
  );
}
