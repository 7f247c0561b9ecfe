import type { Readable } from 'node:stream';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { DerivativeSpec, ImageProcessor } from '../../ports/image-processor.ts';
import type { ImageRepository } from '../../ports/image-repository.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Principal } from '../../ports/principal.ts';
import { assertAuthenticated, assertListingOwner } from '../domain/access.ts';
import { AppError, validationError } from '../domain/errors.ts';
import { DEFAULT_MAX_IMAGE_BYTES, type ListingImage, MAX_IMAGES_PER_LISTING } from '../domain/image.ts';
import { listingNotFound } from '../listings/listing-checks.ts';
import { requireId } from '../shared/require-id.ts';
import type { ChangeListingImages } from './change-listing-images.ts';
import { derivativeKey, imageFolder, originalKey } from './image-keys.ts';
import { sniffBody } from './image-sniffing.ts';
import type { ImageUrls } from './image-urls.ts';

export interface UploadImageSettings {
  /** Largest accepted original, in bytes; enforced while streaming. Default and maximum 10 MiB (see below). */
  readonly maxBytes?: number;
  /** Images per listing; default and maximum {@link MAX_IMAGES_PER_LISTING} (the domain's cap). */
  readonly maxImagesPerListing?: number;
  /** Thumbnails made of every upload; default {@link DEFAULT_THUMBNAILS}. */
  readonly thumbnails?: readonly DerivativeSpec[];
}

export interface UploadImageDeps {
  readonly store: ObjectStore;
  readonly processor: ImageProcessor;
  /** Plain (non-transactional) repositories, for the checks made before any byte is read. */
  readonly listings: Pick<ListingRepository, 'findRow'>;
  readonly images: Pick<ImageRepository, 'listByListing'>;
  /** Writes the metadata row, its outbox entry and the cache invalidation (one unit of work). */
  readonly change: Pick<ChangeListingImages, 'add'>;
  readonly ids: IdGenerator;
  readonly urls: ImageUrls;
  readonly logger?: Logger;
  readonly settings?: UploadImageSettings;
}

export interface UploadImageInput {
  readonly listingId: number;
  /** The file's bytes. The use case owns the stream from the call: it reads it or destroys it. */
  readonly body: Readable | Uint8Array;
  /** The client's `Content-Type`: logged when refused, never trusted (the type comes from the bytes). */
  readonly declaredContentType?: string;
  /** The client's file name: kept in the object's metadata for operators, never used in a key. */
  readonly filename?: string;
  /** Make this the listing's primary image (the first image becomes primary anyway). */
  readonly isPrimary?: boolean;
  /** Aborts between steps (deadline passed, client gone); what was stored is removed. */
  readonly signal?: AbortSignal;
}

export const DEFAULT_THUMBNAILS: readonly DerivativeSpec[] = [
  { name: 'small', width: 320, format: 'webp' },
  { name: 'medium', width: 960, format: 'webp' },
];

/**
 * Upload of a listing image: the listing's owner (or an admin or service) streams a file; it is stored under a key
 * we make (`image-keys.ts`) with the size limit enforced while streaming, its type is decided from its magic bytes
 * (JPEG, PNG, WebP, AVIF), thumbnails are made by the ImageProcessor and stored next to it, and the metadata row is
 * written by ChangeListingImages (one transaction with the outbox entry; the first image becomes primary).
 *
 * Nothing is left behind: a failure before the original is stored stores nothing (the store's `put` is all or
 * nothing); a failure after it (processing, a thumbnail, the row) deletes every object written. Should that
 * delete fail too, the objects stay until `listings images gc` removes them (their folder has no row).
 */
export class UploadImage {
  readonly #deps: UploadImageDeps;
  readonly #maxImages: number;
  readonly #thumbnails: readonly DerivativeSpec[];
  /** Largest accepted original, in bytes. */
  readonly maxBytes: number;

  constructor(deps: UploadImageDeps) {
    const settings = deps.settings ?? {};
    this.#deps = deps;
    this.maxBytes = settings.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    this.#maxImages = settings.maxImagesPerListing ?? MAX_IMAGES_PER_LISTING;
    this.#thumbnails = settings.thumbnails ?? DEFAULT_THUMBNAILS;
    // ChangeListingImages validates file_size against the domain default and caps the count at the domain's
    // maximum; a larger setting would store files whose row is then refused.
    if (!Number.isSafeInteger(this.maxBytes) || this.maxBytes < 1 || this.maxBytes > DEFAULT_MAX_IMAGE_BYTES) {
      throw new AppError('CONFIG_INVALID', `the image size limit must be 1–${DEFAULT_MAX_IMAGE_BYTES} bytes`);
    }
    if (!Number.isSafeInteger(this.#maxImages) || this.#maxImages < 1 || this.#maxImages > MAX_IMAGES_PER_LISTING) {
      throw new AppError('CONFIG_INVALID', `the images per listing must be 1–${MAX_IMAGES_PER_LISTING}`);
    }
  }

  async execute(caller: Principal | undefined, input: UploadImageInput): Promise<ListingImage> {
    let existing: readonly ListingImage[];
    let listingId: number;
    try {
      listingId = requireId('listing_id', 'listing', input.listingId);
      existing = await this.assertCanAdd(caller, listingId);
    } catch (error) {
      if (!(input.body instanceof Uint8Array)) input.body.destroy();
      throw error;
    }
    const { store, processor, ids, change } = this.#deps;
    const { type, body } = await sniffBody(input.body, input.declaredContentType);
    const folder = imageFolder(listingId, ids.uuid());
    const key = originalKey(folder, type.extension);
    const stored = await store.put(key, body, {
      contentType: type.mimeType,
      maxBytes: this.maxBytes,
      metadata: originalMetadata(listingId, input.filename),
    });
    const written = [key];
    try {
      input.signal?.throwIfAborted();
      const original = await store.get(key);
      const processed = await processor.process(original.body, { derivatives: this.#thumbnails });
      const thumbnails: Record<string, string> = {};
      for (const derivative of processed.derivatives) {
        const thumbnailKey = derivativeKey(folder, derivative.name, 'webp');
        await store.put(thumbnailKey, derivative.bytes, { contentType: derivative.contentType });
        written.push(thumbnailKey);
        thumbnails[derivative.name] = await this.#deps.urls.urlOf(thumbnailKey);
      }
      input.signal?.throwIfAborted();
      const first = processed.derivatives[0];
      return await change.add(caller, {
        listingId,
        url: await this.#deps.urls.urlOf(key),
        storageKey: key,
        thumbnailUrl: first === undefined ? null : (thumbnails[first.name] ?? null),
        thumbnails,
        displayOrder: nextDisplayOrder(existing),
        isPrimary: input.isPrimary === true,
        width: processed.width,
        height: processed.height,
        fileSize: stored.size,
        mimeType: type.mimeType,
      });
    } catch (error) {
      await this.#removeWritten(written, error);
      throw error;
    }
  }

  /**
   * The checks made before any byte is read, so a stranger or a full listing costs no upload: the listing exists
   * and is live, the caller owns it (or is an admin or service), and it has room for one more image. Returns its
   * images. ChangeListingImages checks the same again inside its transaction.
   */
  async assertCanAdd(caller: Principal | undefined, listingId: number): Promise<readonly ListingImage[]> {
    assertAuthenticated(caller);
    const listing = await this.#deps.listings.findRow(listingId);
    if (listing === null) throw listingNotFound(listingId);
    assertListingOwner(caller, listing);
    const existing = await this.#deps.images.listByListing(listingId);
    if (existing.length >= this.#maxImages) {
      const message = `a listing can have at most ${this.#maxImages} images`;
      throw validationError([{ field: 'listing_id', reason: 'too_many', message }]);
    }
    return existing;
  }

  async #removeWritten(keys: readonly string[], cause: unknown): Promise<void> {
    try {
      await this.#deps.store.delete(keys);
    } catch (error) {
      this.#deps.logger?.warn(
        { keys, err: String(error), cause: String(cause) },
        'could not remove the objects of a failed image upload; `listings images gc` will',
      );
    }
  }
}

function nextDisplayOrder(existing: readonly ListingImage[]): number {
  return existing.reduce((max, image) => Math.max(max, image.displayOrder + 1), 0);
}

/** Object metadata must be printable ASCII: the file name is percent-encoded and shortened. */
function originalMetadata(listingId: number, filename: string | undefined): Record<string, string> {
  const metadata: Record<string, string> = { 'listing-id': String(listingId) };
  const name = filename === undefined ? '' : Array.from(filename.trim().toWellFormed()).slice(0, 100).join('');
  if (name !== '') metadata.filename = encodeURIComponent(name);
  return metadata;
}
