import { Readable } from 'node:stream';
import { AppError } from '../domain/errors.ts';
import type { ImageMimeType } from '../domain/image.ts';

/**
 * The type of an uploaded image, decided from its first bytes ("magic bytes"), never from the client's
 * `Content-Type` or file name: a text file named `cat.jpg` is refused before anything is stored.
 */
export interface SniffedType {
  readonly mimeType: ImageMimeType;
  /** File extension of the stored original. */
  readonly extension: 'jpg' | 'png' | 'webp' | 'avif';
}

/** Bytes needed to tell the four formats apart (WebP's `RIFF....WEBP` and AVIF's `....ftypavif` need 12). */
export const SNIFF_BYTES = 12;
/** AVIF files may name the AVIF brand among the compatible ones only; look this far into the `ftyp` box. */
const MAX_FTYP_BYTES = 64;

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The type of an image starting with `head`, or undefined for anything else (or too few bytes to tell). */
export function sniffImageType(head: Uint8Array): SniffedType | undefined {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (startsWith(bytes, JPEG)) return { mimeType: 'image/jpeg', extension: 'jpg' };
  if (startsWith(bytes, PNG)) return { mimeType: 'image/png', extension: 'png' };
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return { mimeType: 'image/webp', extension: 'webp' };
  }
  if (isAvif(bytes)) return { mimeType: 'image/avif', extension: 'avif' };
  return undefined;
}

/** `ftyp` box with the `avif`/`avis` brand: as the major brand, or among the compatible brands of a HEIF file. */
function isAvif(bytes: Buffer): boolean {
  if (bytes.length < 12 || ascii(bytes, 4, 8) !== 'ftyp') return false;
  const major = ascii(bytes, 8, 12);
  if (major === 'avif' || major === 'avis') return true;
  if (major !== 'mif1' && major !== 'msf1') return false;
  const boxEnd = Math.min(bytes.readUInt32BE(0), bytes.length, MAX_FTYP_BYTES);
  // Compatible brands follow the major brand (4 bytes) and minor version (4 bytes).
  for (let at = 16; at + 4 <= boxEnd; at += 4) {
    const brand = ascii(bytes, at, at + 4);
    if (brand === 'avif' || brand === 'avis') return true;
  }
  return false;
}

function startsWith(bytes: Buffer, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, end);
}

export function unsupportedImageType(declared: string | undefined): AppError {
  const message = 'the file is not a JPEG, PNG, WebP or AVIF image';
  return new AppError('UNSUPPORTED_MEDIA_TYPE', message, {
    reason: 'images.unsupported_type',
    details: declared === undefined ? {} : { declaredContentType: declared.slice(0, 100) },
  });
}

/**
 * Reads the first {@link SNIFF_BYTES} of `body` (or up to {@link MAX_FTYP_BYTES} when the first chunk holds them),
 * decides the type, and returns a stream of the whole body (the head replayed, then the rest, unread until the
 * consumer asks). Refuses anything that is not one of the four types with UNSUPPORTED_MEDIA_TYPE, destroying
 * `body` unread beyond its head. An error of `body` is rethrown unchanged.
 */
export async function sniffBody(
  body: Readable | Uint8Array,
  declaredContentType?: string,
): Promise<{ readonly type: SniffedType; readonly body: Readable | Uint8Array }> {
  if (body instanceof Uint8Array) {
    const type = sniffImageType(body.subarray(0, MAX_FTYP_BYTES));
    if (type === undefined) throw unsupportedImageType(declaredContentType);
    return { type, body };
  }
  const iterator = body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let length = 0;
  let ended = false;
  try {
    while (length < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = asBuffer(next.value);
      head.push(chunk);
      length += chunk.length;
    }
  } catch (error) {
    body.destroy();
    throw error;
  }
  const first = Buffer.concat(head);
  const type = sniffImageType(first.subarray(0, MAX_FTYP_BYTES));
  if (type === undefined) {
    await iterator.return?.();
    body.destroy();
    throw unsupportedImageType(declaredContentType);
  }
  return { type, body: Readable.from(replay(first, ended ? undefined : iterator), { objectMode: false }) };
}

async function* replay(first: Buffer, rest: AsyncIterator<unknown> | undefined): AsyncGenerator<Buffer> {
  yield first;
  if (rest === undefined) return;
  try {
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield asBuffer(next.value);
    }
  } finally {
    // Leaving early (the store stopped reading at its byte limit) destroys the source too.
    await rest.return?.();
  }
}

/** A chunk as a Buffer without copying it (a stream of strings is taken as UTF-8, as the object store does). */
function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new AppError('VALIDATION_FAILED', 'the upload stream must emit bytes', {
    violations: [{ field: 'body', reason: 'not_bytes', message: 'the upload stream must emit bytes' }],
  });
}
