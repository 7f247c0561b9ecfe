import type { ImageFetcher } from '../../ports/image-fetcher.ts';
import type { Principal } from '../../ports/principal.ts';
import { validationError } from '../domain/errors.ts';
import type { ListingImage } from '../domain/image.ts';
import { requireId } from '../shared/require-id.ts';
import type { UploadImage } from './upload-image.ts';

export interface ImportImageDeps {
  /** Downloads the URL; it refuses private and loopback addresses (see ports/image-fetcher.ts). */
  readonly fetcher: ImageFetcher;
  readonly upload: Pick<UploadImage, 'execute' | 'assertCanAdd' | 'maxBytes'>;
}

export interface ImportImageInput {
  readonly listingId: number;
  /** An `http:` or `https:` URL of the image. */
  readonly url: string;
  readonly isPrimary?: boolean;
  readonly signal?: AbortSignal;
}

const MAX_URL_LENGTH = 2048;

/**
 * Import of a listing image from a URL: the same checks, limits and storage as an upload (UploadImage), with the
 * bytes downloaded by the ImageFetcher. The caller's right to add an image is checked before anything is fetched,
 * so the service never makes a request for a caller who could not use its answer.
 */
export class ImportImage {
  readonly #deps: ImportImageDeps;

  constructor(deps: ImportImageDeps) {
    this.#deps = deps;
  }

  async execute(caller: Principal | undefined, input: ImportImageInput): Promise<ListingImage> {
    const { fetcher, upload } = this.#deps;
    const listingId = requireId('listing_id', 'listing', input.listingId);
    await upload.assertCanAdd(caller, listingId);
    const url = typeof input.url === 'string' ? input.url.trim() : '';
    if (url === '') throw validationError([{ field: 'url', reason: 'required', message: 'url is required' }]);
    if (url.length > MAX_URL_LENGTH) {
      const message = `url must not exceed ${MAX_URL_LENGTH} characters`;
      throw validationError([{ field: 'url', reason: 'too_long', message }]);
    }
    const fetched = await fetcher.fetch(url, {
      maxBytes: upload.maxBytes,
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    return upload.execute(caller, {
      listingId,
      body: fetched.body,
      ...(fetched.contentType === undefined ? {} : { declaredContentType: fetched.contentType }),
      filename: lastPathSegment(fetched.url),
      isPrimary: input.isPrimary === true,
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
  }
}

function lastPathSegment(url: string): string {
  try {
    const segments = new URL(url).pathname.split('/');
    return decodeURIComponent(segments[segments.length - 1] ?? '');
  } catch {
    return '';
  }
}
