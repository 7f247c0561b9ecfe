import { randomUUID } from 'node:crypto';
import { Client } from 'minio';
import sharp from 'sharp';
import { FsObjectStore } from '../../../adapters/fs-storage/fs-object-store.ts';
import { HttpImageFetcher, type HttpImageFetcherSettings } from '../../../adapters/http-fetch/http-image-fetcher.ts';
import { MinioObjectStore } from '../../../adapters/minio/minio-object-store.ts';
import {
  SharpImageProcessor,
  type SharpImageProcessorSettings,
} from '../../../adapters/sharp/sharp-image-processor.ts';
import { KnexImageKeyIndex } from '../../../adapters/sql/knex-image-key-index.ts';
import { createPlainRepositories } from '../../../adapters/sql/sql-repositories.ts';
import type { ObjectStore } from '../../../ports/object-store.ts';
import { CollectOrphanImages } from '../../../src/images/collect-orphans.ts';
import { DeleteStoredImage } from '../../../src/images/delete-stored-image.ts';
import { PresignedImageUrls } from '../../../src/images/image-urls.ts';
import { ImportImage } from '../../../src/images/import-image.ts';
import { UploadImage, type UploadImageSettings } from '../../../src/images/upload-image.ts';
import { temporaryDirectory } from '../../support/databases.ts';
import { s3Settings } from '../../support/servers.ts';
import { openWorld, TestClock, type World } from '../use-cases/listings/fixture.ts';

export type StoreKind = 'minio' | 'fs';
export const STORE_KINDS: readonly StoreKind[] = ['minio', 'fs'];
export const SIGNING_SECRET = 'image-tests-signing-secret-32-bytes!';
export const MiB = 1024 * 1024;

/** An object store of each kind, owned by one test file: a fresh bucket or temp folder, removed by `dispose`. */
export async function openStore(kind: StoreKind): Promise<{ store: ObjectStore; dispose(): Promise<void> }> {
  if (kind === 'fs') {
    const folder = await temporaryDirectory('listings-images-');
    const store = new FsObjectStore({ root: folder.path, signingSecret: SIGNING_SECRET });
    await store.ensureReady();
    return { store, dispose: async () => folder.remove() };
  }
  const { endpoint, accessKey, secretKey } = s3Settings();
  const bucket = `listings-images-${randomUUID().slice(0, 8)}`;
  const store = new MinioObjectStore({ endpoint, accessKey, secretKey, bucket, region: 'us-east-1', useSsl: false });
  await store.ensureReady();
  return {
    store,
    async dispose() {
      await store.close();
      await removeBucket(bucket);
    },
  };
}

/** Removes a test bucket of the MinIO test server with everything in it. */
export async function removeBucket(bucket: string): Promise<void> {
  const { endpoint, accessKey, secretKey } = s3Settings();
  const url = new URL(endpoint);
  const admin = new Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: url.protocol === 'https:',
    accessKey,
    secretKey,
    pathStyle: true,
    region: 'us-east-1',
  });
  if (!(await admin.bucketExists(bucket))) return;
  const names: string[] = [];
  for await (const item of admin.listObjectsV2(bucket, '', true)) if (item.name) names.push(item.name);
  if (names.length > 0) await admin.removeObjects(bucket, names);
  for await (const upload of admin.listIncompleteUploads(bucket, '', true)) {
    await admin.abortMultipartUpload(bucket, upload.key, upload.uploadId);
  }
  await admin.removeBucket(bucket);
}

export interface ImageWorldOptions {
  readonly upload?: UploadImageSettings;
  readonly processor?: SharpImageProcessorSettings;
  readonly fetcher?: HttpImageFetcherSettings;
}

/**
 * The image use cases on real adapters: the listing world (PGlite, migrated and seeded, SQL unit of work), one
 * object store (MinIO or a temp folder), sharp, the HTTP fetcher and the SQL key index. Nothing is mocked.
 */
export class ImageWorld {
  readonly world: World;
  readonly store: ObjectStore;
  readonly kind: StoreKind;
  readonly gcClock = new TestClock();
  readonly #disposeStore: () => Promise<void>;

  constructor(world: World, kind: StoreKind, store: ObjectStore, disposeStore: () => Promise<void>) {
    this.world = world;
    this.kind = kind;
    this.store = store;
    this.#disposeStore = disposeStore;
  }

  /** Fresh use cases on the world's current ChangeListingImages (it is rebuilt by `world.reset`). */
  uploader(options: ImageWorldOptions = {}): UploadImage {
    const plain = createPlainRepositories(this.world.knex);
    return new UploadImage({
      store: this.store,
      processor: new SharpImageProcessor(options.processor),
      listings: plain.listings,
      images: plain.images,
      change: this.world.changeImages,
      ids: { uuid: () => randomUUID() },
      urls: new PresignedImageUrls(this.store, 3600),
      ...(options.upload === undefined ? {} : { settings: options.upload }),
    });
  }

  importer(options: ImageWorldOptions = {}): ImportImage {
    return new ImportImage({ fetcher: new HttpImageFetcher(options.fetcher), upload: this.uploader(options) });
  }

  deleter(): DeleteStoredImage {
    return new DeleteStoredImage({ change: this.world.changeImages, store: this.store });
  }

  collector(options: { readonly batchObjects?: number } = {}): CollectOrphanImages {
    const keys = new KnexImageKeyIndex(this.world.knex);
    return new CollectOrphanImages({ store: this.store, keys, clock: this.gcClock, ...options });
  }

  /** Every object key under `prefix`, in order. */
  async keys(prefix = 'listings/'): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of this.store.list(prefix, { recursive: true })) keys.push(object.key);
    return keys;
  }

  async imageRows(): Promise<number> {
    return this.world.count('listing_images');
  }

  async reset(): Promise<void> {
    await this.world.reset();
    const keys = await this.keys('');
    if (keys.length > 0) await this.store.delete(keys);
  }

  async dispose(): Promise<void> {
    await this.world.dispose();
    await this.#disposeStore();
  }
}

export async function openImageWorld(kind: StoreKind): Promise<ImageWorld> {
  const world = await openWorld();
  try {
    const { store, dispose } = await openStore(kind);
    return new ImageWorld(world, kind, store, dispose);
  } catch (error) {
    await world.dispose();
    throw error;
  }
}

/** A real image of `width` × `height` pixels, encoded by sharp. */
export function image(format: 'jpeg' | 'png' | 'webp' | 'avif', width = 1200, height = 800): Promise<Buffer> {
  const pixels = sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } });
  return pixels[format]().toBuffer();
}
