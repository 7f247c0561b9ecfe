import type { Readable } from 'node:stream';

/**
 * Decodes an uploaded image once: its dimensions, and small derivatives (thumbnails) for lists and cards.
 * Adapter: `adapters/sharp` (libvips).
 *
 * Guarantees an adapter must keep:
 * - Bounded work: an image whose width × height passes the adapter's pixel limit is refused
 *   (`PAYLOAD_TOO_LARGE`, reason `images.too_many_pixels`) before it is decoded, so a small file cannot
 *   expand into gigabytes of pixels. An encoded input larger than the adapter's byte limit is refused the same way
 *   (`PAYLOAD_TOO_LARGE`). Processing that does not finish in the adapter's time limit is `DEADLINE_EXCEEDED`.
 * - Bytes that do not decode as an image (corrupt, truncated, another format behind the right magic bytes) are
 *   `UNSUPPORTED_MEDIA_TYPE` (reason `images.undecodable`).
 * - Dimensions are those of the image as shown: EXIF orientation applied (a portrait photo stored sideways reports
 *   its portrait width and height), and derivatives are oriented the same way, with metadata (EXIF, GPS) stripped.
 * - `source` is read to its end or destroyed; an error it emits is rethrown unchanged.
 */
export interface ImageProcessor {
  process(source: Readable, request: ProcessRequest): Promise<ProcessedImage>;
}

export interface ProcessRequest {
  /** The derivatives to make, in this order. Empty: only probe the dimensions. */
  readonly derivatives: readonly DerivativeSpec[];
}

export interface DerivativeSpec {
  /** Stable name (`small`, `medium`), used in the storage key and as the key of `ListingImage.thumbnails`. */
  readonly name: string;
  /** Target width in pixels; the height keeps the aspect ratio. An image narrower than this is not enlarged. */
  readonly width: number;
  /** Output format; WebP is the only one today. */
  readonly format: 'webp';
}

export interface ProcessedImage {
  /** Pixels, orientation applied. */
  readonly width: number;
  readonly height: number;
  /** The decoder that read the image (`jpeg`, `png`, `webp`, `heif` for AVIF). */
  readonly format: string;
  /** One per requested spec, same order. */
  readonly derivatives: readonly Derivative[];
}

export interface Derivative {
  readonly name: string;
  /** Pixels of the derivative. */
  readonly width: number;
  readonly height: number;
  /** E.g. `image/webp`. */
  readonly contentType: string;
  /** The encoded derivative; thumbnails are small (tens of KiB), so they are returned whole. */
  readonly bytes: Uint8Array;
}
