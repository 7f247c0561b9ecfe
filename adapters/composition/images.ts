import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { DeleteStoredImage } from '../../src/images/delete-stored-image.ts';
import { PresignedImageUrls, PublicImageUrls } from '../../src/images/image-urls.ts';
import { ImportImage } from '../../src/images/import-image.ts';
import { UploadImage } from '../../src/images/upload-image.ts';
import type { Config } from '../config/config.ts';
import { fileRoutes } from '../http/routes/files.ts';
import { imageUploadRoutes } from '../http/routes/images-upload.ts';
import { HttpImageFetcher } from '../http-fetch/http-image-fetcher.ts';
import { asLogger } from '../logging/pino-logger.ts';
import { SharpImageProcessor } from '../sharp/sharp-image-processor.ts';
import { randomIds } from '../system/random-ids.ts';
import type { CoreUseCases } from './core-use-cases.ts';
import { buildObjectStore } from './storage.ts';

export interface ImageAdaptersDeps {
  readonly config: Config;
  readonly logger: PinoLogger;
  readonly useCases: CoreUseCases;
}

/**
 * Image uploads, imports and deletes on the configured object store. Deleting an image through REST or gRPC
 * removes its stored objects too (DeleteStoredImage takes the `images.delete` slot).
 */
export function buildImageUseCases(deps: ImageAdaptersDeps) {
  const { config, useCases } = deps;
  const logger = asLogger(deps.logger.child({ component: 'images' }));
  const storage = buildObjectStore(config);
  const upload = new UploadImage({
    store: storage.store,
    processor: new SharpImageProcessor({}),
    listings: useCases.repositories.listings,
    images: useCases.repositories.images,
    change: useCases.images.change,
    ids: randomIds,
    urls: config.images.publicBaseUrl
      ? new PublicImageUrls(config.images.publicBaseUrl)
      : new PresignedImageUrls(storage.store),
    logger,
    settings: { maxBytes: config.images.maxBytes },
  });
  const importImage = new ImportImage({ fetcher: new HttpImageFetcher({ allow: config.images.importAllow }), upload });
  const deleteImage = new DeleteStoredImage({ change: useCases.images.change, store: storage.store, logger });

  const httpPlugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    await app.register(imageUploadRoutes, { prefix: '/api/v1', upload, importImage });
    if (storage.fsSigningSecret !== undefined)
      await app.register(fileRoutes, { store: storage.store, signingSecret: storage.fsSigningSecret });
  };

  return {
    useCases: { ...useCases, images: { ...useCases.images, delete: deleteImage } },
    httpPlugin,
    check: storage.check,
    close: () => storage.store.close(),
  };
}
