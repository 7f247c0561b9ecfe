import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { createTokenVerifier } from '../../../adapters/auth/create-token-verifier.ts';
import { buildHttpApp } from '../../../adapters/http/app.ts';
import { HealthProbe } from '../../../adapters/http/health-probe.ts';
import { apiRoutes } from '../../../adapters/http/routes/api.ts';
import { fileRoutes } from '../../../adapters/http/routes/files.ts';
import { imageUploadRoutes } from '../../../adapters/http/routes/images-upload.ts';
import { HttpImageFetcher } from '../../../adapters/http-fetch/http-image-fetcher.ts';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import { SharpImageProcessor } from '../../../adapters/sharp/sharp-image-processor.ts';
import { KnexUnitOfWork } from '../../../adapters/sql/knex-unit-of-work.ts';
import { createPlainRepositories } from '../../../adapters/sql/sql-repositories.ts';
import { NO_METRICS } from '../../../ports/core-metrics.ts';
import type { ObjectStore } from '../../../ports/object-store.ts';
import { ChangeListingImages } from '../../../src/images/change-listing-images.ts';
import { DeleteStoredImage } from '../../../src/images/delete-stored-image.ts';
import { PresignedImageUrls } from '../../../src/images/image-urls.ts';
import { ImportImage } from '../../../src/images/import-image.ts';
import { UploadImage } from '../../../src/images/upload-image.ts';
import { ListingCache } from '../../../src/listings/listing-cache.ts';
import { signToken, TEST_SECRET } from '../../unit/auth/tokens.ts';
import { buildUseCases } from '../http/api-world.ts';
import { openWorld, type World } from '../use-cases/listings/fixture.ts';
import { openStore, SIGNING_SECRET, type StoreKind } from './image-world.ts';

export interface Tokens {
  readonly owner: string;
  readonly stranger: string;
}

/**
 * The whole HTTP app as the composition root should build it for images: the API routes (with DELETE wired to
 * DeleteStoredImage, so it removes the objects), the upload/import route under /api/v1 and the /files route, on
 * PGlite, one object store, sharp and the HTTP fetcher (127.0.0.1 allowlisted for the local image host).
 */
export class HttpImageWorld {
  readonly world: World;
  readonly store: ObjectStore;
  readonly app: FastifyInstance;
  readonly tokens: Tokens;
  /** The /files route's clock: `Date.now() + skewMs`. */
  skewMs = 0;
  readonly #disposeStore: () => Promise<void>;

  constructor(
    world: World,
    store: ObjectStore,
    app: FastifyInstance,
    tokens: Tokens,
    disposeStore: () => Promise<void>,
  ) {
    this.world = world;
    this.store = store;
    this.app = app;
    this.tokens = tokens;
    this.#disposeStore = disposeStore;
  }

  request(options: InjectOptions & { as?: keyof Tokens }): Promise<LightMyRequestResponse> {
    const { as, headers, ...rest } = options;
    const auth = as === undefined ? {} : { authorization: `Bearer ${this.tokens[as]}` };
    return this.app.inject({ ...rest, headers: { ...headers, ...auth } });
  }

  /** POST a multipart form to the upload route, as the owner by default (`null`: without a token). */
  upload(listingId: number, form: Form, as: keyof Tokens | null = 'owner'): Promise<LightMyRequestResponse> {
    return this.request({
      method: 'POST',
      url: `/api/v1/listings/${listingId}/images`,
      headers: { 'content-type': `multipart/form-data; boundary=${form.boundary}` },
      payload: form.body,
      ...(as === null ? {} : { as }),
    });
  }

  async keys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of this.store.list('listings/', { recursive: true })) keys.push(object.key);
    return keys;
  }

  async reset(): Promise<void> {
    await this.world.reset();
    const keys = await this.keys();
    if (keys.length > 0) await this.store.delete(keys);
    this.skewMs = 0;
  }

  async dispose(): Promise<void> {
    await this.app.close();
    await this.world.dispose();
    await this.#disposeStore();
  }
}

export async function openHttpImageWorld(kind: StoreKind): Promise<HttpImageWorld> {
  const world = await openWorld();
  const { store, dispose } = await openStore(kind);
  const plain = createPlainRepositories(world.knex);
  const listingCache = new ListingCache({ cache: new MemoryCache(), metrics: NO_METRICS });
  const change = new ChangeListingImages({ uow: new KnexUnitOfWork(world.knex), cache: listingCache });
  const upload = new UploadImage({
    store,
    processor: new SharpImageProcessor(),
    listings: plain.listings,
    images: plain.images,
    change,
    ids: { uuid: () => randomUUID() },
    urls: new PresignedImageUrls(store, 3600),
  });
  const importImage = new ImportImage({ fetcher: new HttpImageFetcher({ allow: ['127.0.0.1'] }), upload });
  const useCases = buildUseCases(world.knex);
  const images = { ...useCases.images, delete: new DeleteStoredImage({ change, store }) };
  let holder: HttpImageWorld | undefined;
  const app = await buildHttpApp({
    logger: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
    version: '9.9.9',
    probe: new HealthProbe([], { timeoutMs: 100, cacheMs: 0 }),
    bodyLimitBytes: 1024 * 1024,
    requestTimeoutMs: 30_000,
    isAccepting: () => true,
    auth: { verifier: await createTokenVerifier({ jwtSecret: TEST_SECRET }) },
    plugins: [
      apiRoutes({ ...useCases, images }),
      async (root) => {
        await root.register(imageUploadRoutes, { prefix: '/api/v1', upload, importImage });
        await root.register(fileRoutes, {
          store,
          signingSecret: SIGNING_SECRET,
          now: () => Date.now() + (holder?.skewMs ?? 0),
        });
      },
    ],
  });
  await app.ready();
  const tokens = { owner: await signToken({ sub: '7' }), stranger: await signToken({ sub: '8' }) };
  holder = new HttpImageWorld(world, store, app, tokens, dispose);
  return holder;
}

export interface FormPart {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  /** Bytes, or a stream of them (sent as they come, so a huge file is never in memory). */
  readonly data: Buffer | string | AsyncIterable<Buffer>;
}

export interface Form {
  readonly boundary: string;
  readonly body: Readable;
}

/** A multipart/form-data body streamed part by part; `truncate` ends it in the middle of the last part. */
export function form(parts: readonly FormPart[], options: { readonly truncate?: boolean } = {}): Form {
  const boundary = `----listings${randomUUID().replaceAll('-', '')}`;
  async function* generate(): AsyncGenerator<Buffer> {
    for (const part of parts) {
      const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
      const type = part.contentType === undefined ? '' : `content-type: ${part.contentType}\r\n`;
      yield Buffer.from(`--${boundary}\r\ncontent-disposition: ${disposition}\r\n${type}\r\n`);
      if (typeof part.data === 'string' || Buffer.isBuffer(part.data)) yield Buffer.from(part.data);
      else for await (const chunk of part.data) yield chunk;
      if (options.truncate) return;
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return { boundary, body: Readable.from(generate()) };
}
