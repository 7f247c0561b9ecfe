import type { ObjectStore } from '../../ports/object-store.ts';
import { MAX_PRESIGNED_TTL_SECONDS } from '../../ports/object-store.ts';

/**
 * The URL written to `listing_images.url` and `thumbnails` for an object the service stored. The composition root
 * picks one:
 * - {@link PublicImageUrls}: a base URL that serves the bucket or folder publicly (a CDN, a public-read MinIO
 *   bucket, a reverse proxy). Stable: the right choice in production.
 * - {@link PresignedImageUrls}: the store's presigned GET URL. Works with no extra infrastructure, but the URL
 *   expires (at most 7 days, the S3 limit), and the row keeps the expired URL: a stop-gap until reads presign.
 */
export interface ImageUrls {
  urlOf(key: string): Promise<string>;
}

export class PublicImageUrls implements ImageUrls {
  readonly #base: string;

  /** @param baseUrl e.g. `https://cdn.example.com/listings-images`; a trailing `/` is ignored. */
  constructor(baseUrl: string) {
    this.#base = baseUrl.replace(/\/+$/, '');
  }

  async urlOf(key: string): Promise<string> {
    return `${this.#base}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }
}

export class PresignedImageUrls implements ImageUrls {
  readonly #store: Pick<ObjectStore, 'presignedGetUrl'>;
  readonly #ttlSeconds: number;

  /** @param ttlSeconds lifetime of each URL; default and maximum 7 days. */
  constructor(store: Pick<ObjectStore, 'presignedGetUrl'>, ttlSeconds = MAX_PRESIGNED_TTL_SECONDS) {
    this.#store = store;
    this.#ttlSeconds = ttlSeconds;
  }

  urlOf(key: string): Promise<string> {
    return this.#store.presignedGetUrl(key, this.#ttlSeconds);
  }
}
