import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ObjectStore } from '../../../ports/object-store.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { DEFAULT_SIGNED_PATH_BASE, verifySignedPath } from '../../fs-storage/signed-path.ts';
import { problemResponse } from '../problem-schema.ts';

export interface FileRouteOptions {
  /** The filesystem object store whose presigned paths this serves. */
  readonly store: Pick<ObjectStore, 'get'>;
  /** The store's signing secret (`SVETULISTINGS_STORAGE_SIGNING_SECRET`), the same the store signs with. */
  readonly signingSecret: string;
  /** Path prefix of the signed URLs; default `/files`, as the store's `signedPathBase`. */
  readonly base?: string;
  /** Current time in epoch milliseconds (tests pin it). */
  readonly now?: () => number;
}

/**
 * `GET /files/<key>?expires=…&signature=…`: the presigned URLs of the filesystem object store (signed-path.ts),
 * answered without credentials (the signature is the credential; a bearer token is ignored). The object streams
 * from disk with its stored content type; 403 for a bad or expired signature, 404 for a path that is not a signed
 * object path or an object that is gone. Register at the root, without the API prefix.
 */
export async function fileRoutes(app: FastifyInstance, options: FileRouteOptions): Promise<void> {
  const base = (options.base ?? DEFAULT_SIGNED_PATH_BASE).replace(/\/+$/, '');
  const now = options.now ?? Date.now;

  app.get(
    `${base}/*`,
    {
      config: { auth: 'none', timeout: 'get' },
      schema: {
        tags: ['files'],
        summary: 'A stored file, by presigned URL',
        description: 'Links come from the API (`url`, `thumbnails` of images); they expire.',
        response: {
          200: { description: 'The bytes, with the stored content type.' },
          304: { description: 'Not modified (`If-None-Match` named the current `ETag`).' },
          403: problemResponse('The signature is wrong or has expired.'),
          404: problemResponse('No such file.'),
        },
      },
    },
    async (request, reply) => {
      const [path = '', query = ''] = request.url.split('?', 2);
      const check = verifySignedPath(path, query, options.signingSecret, now(), base);
      if (!check.ok) {
        if (check.reason === 'malformed') throw new AppError('OBJECT_NOT_FOUND', 'no such file');
        const message = check.reason === 'expired' ? 'the link has expired' : 'the link signature is not valid';
        throw new AppError('PERMISSION_DENIED', message, { reason: `files.${check.reason}` });
      }
      const object = await options.store.get(check.key);
      const etag = `"${object.etag}"`;
      const secondsLeft = Math.max(0, Math.floor((check.expiresAt.getTime() - now()) / 1000));
      reply
        .header('etag', etag)
        .header('last-modified', object.lastModified.toUTCString())
        // Cached no longer than the link is valid; shared caches must not serve it to holders of no link.
        .header('cache-control', `private, max-age=${secondsLeft}`)
        // Images are embedded by other origins (the web front end); nothing served here may run as a page.
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('x-content-type-options', 'nosniff');
      if (!object.contentType.startsWith('image/')) reply.header('content-disposition', 'attachment');
      // Payloads are returned, not `reply.send()`: the reply is a thenable the deadline race would wait on.
      if (request.headers['if-none-match'] === etag) {
        object.body.destroy();
        reply.code(304);
        return '';
      }
      reply.header('content-type', object.contentType).header('content-length', object.size);
      if (request.method === 'HEAD') {
        object.body.destroy();
        // Fastify's HEAD handling keeps our Content-Length for a stream payload (it would write 0 for none).
        return Readable.from([]);
      }
      return object.body;
    },
  );
}
