import type { Readable } from 'node:stream';
import sharp, { type Metadata } from 'sharp';
import type { Derivative, ImageProcessor, ProcessedImage, ProcessRequest } from '../../ports/image-processor.ts';
import { AppError } from '../../src/domain/errors.ts';

export interface SharpImageProcessorSettings {
  /**
   * Largest width × height decoded; default 50 million (an 8K photo is 33 MP). libvips needs about 3–4 bytes per
   * pixel while resizing, so this bounds the memory one upload may take.
   */
  readonly maxPixels?: number;
  /** Largest encoded input read into memory, in bytes; default 32 MiB. The upload limit is normally lower. */
  readonly maxInputBytes?: number;
  /** Time limit of decoding and encoding one image, in seconds; default 30. */
  readonly timeoutSeconds?: number;
  /** WebP quality of the derivatives, 1–100; default 80. */
  readonly webpQuality?: number;
  /**
   * Images decoded at once; default 2. Each may take `maxPixels` × 4 bytes while it is resized, so this bounds the
   * memory of a burst of uploads; the others wait their turn (libvips uses several threads for each one anyway).
   */
  readonly maxConcurrent?: number;
}

const DEFAULT_MAX_PIXELS = 50_000_000;
const DEFAULT_MAX_INPUT_BYTES = 32 * 1024 * 1024;

/**
 * ImageProcessor on sharp (libvips). The encoded image is read into memory first (bounded by `maxInputBytes`):
 * libvips needs random access to most formats, and sharp would buffer a stream the same way. The header is read
 * before anything is decoded, so an image past `maxPixels` is refused without decoding it (`limitInputPixels` guards
 * the decoders too). Each derivative is its own libvips pipeline on the same input (JPEG and WebP shrink while
 * loading, so a thumbnail does not decode the full image); at most `maxConcurrent` images are processed at once.
 */
export class SharpImageProcessor implements ImageProcessor {
  readonly #maxPixels: number;
  readonly #maxInputBytes: number;
  readonly #timeoutSeconds: number;
  readonly #quality: number;
  readonly #slots: Slots;

  constructor(settings: SharpImageProcessorSettings = {}) {
    this.#maxPixels = settings.maxPixels ?? DEFAULT_MAX_PIXELS;
    this.#maxInputBytes = settings.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
    this.#timeoutSeconds = settings.timeoutSeconds ?? 30;
    this.#quality = settings.webpQuality ?? 80;
    this.#slots = new Slots(settings.maxConcurrent ?? 2);
  }

  async process(source: Readable, request: ProcessRequest): Promise<ProcessedImage> {
    const input = await readAll(source, this.#maxInputBytes);
    return this.#slots.run(() => this.#decode(input, request));
  }

  async #decode(input: Buffer, request: ProcessRequest): Promise<ProcessedImage> {
    const options = { limitInputPixels: this.#maxPixels, failOn: 'error', autoOrient: true } as const;
    let metadata: Metadata;
    try {
      metadata = await sharp(input, options).metadata();
    } catch (error) {
      throw translate(error);
    }
    const { width, height } = metadata.autoOrient;
    if (!(width > 0 && height > 0)) throw undecodable();
    if (width * height > this.#maxPixels) throw tooManyPixels(width, height, this.#maxPixels);
    try {
      const decoded = sharp(input, options).timeout({ seconds: this.#timeoutSeconds });
      const derivatives = await Promise.all(
        request.derivatives.map(async (spec): Promise<Derivative> => {
          const { data, info } = await decoded
            .clone()
            .resize({ width: spec.width, withoutEnlargement: true })
            .webp({ quality: this.#quality })
            .toBuffer({ resolveWithObject: true });
          return { name: spec.name, width: info.width, height: info.height, contentType: 'image/webp', bytes: data };
        }),
      );
      return { width, height, format: metadata.format, derivatives };
    } catch (error) {
      throw translate(error);
    }
  }
}

async function readAll(source: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > maxBytes) {
      source.destroy();
      throw new AppError('PAYLOAD_TOO_LARGE', `the image is larger than the processing limit of ${maxBytes} bytes`, {
        reason: 'images.too_large_to_process',
        details: { maxBytes },
      });
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

/** libvips reports everything as an Error with a message; the messages below are sharp's own. */
function translate(error: unknown): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const message = error.message;
  if (/exceeds pixel limit/i.test(message)) {
    return new AppError('PAYLOAD_TOO_LARGE', 'the image has too many pixels', {
      reason: 'images.too_many_pixels',
      cause: error,
    });
  }
  if (/timeout/i.test(message)) {
    return new AppError('DEADLINE_EXCEEDED', 'processing the image took too long', { cause: error });
  }
  return undecodable(error);
}

/** libvips' own words stay in the cause (for logs); the caller learns only that the bytes are not a usable image. */
function undecodable(cause?: unknown): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', 'the file could not be decoded as an image', {
    reason: 'images.undecodable',
    ...(cause === undefined ? {} : { cause }),
  });
}

function tooManyPixels(width: number, height: number, maxPixels: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the image has ${width}×${height} pixels; the limit is ${maxPixels}`, {
    reason: 'images.too_many_pixels',
    details: { width, height, maxPixels },
  });
}

/** A counting semaphore: at most `size` tasks run at once, the others wait in arrival order. */
class Slots {
  readonly #size: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(size: number) {
    this.#size = Math.max(1, Math.floor(size));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next === undefined) this.#running--;
      else next();
    }
  }
}
