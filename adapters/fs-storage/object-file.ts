import type { FileHandle } from 'node:fs/promises';

/**
 * The layout of one object file: the body bytes first, then a JSON manifest (content type, metadata,
 * hashes), then an 8-byte footer: the manifest's length (uint32, big-endian) and the magic `LSO1`.
 *
 * Body and description in one file means a single rename publishes both: a reader can never pair a new
 * body with an old content type, as a separate sidecar file would allow between two renames. The body
 * starting at offset 0 keeps the file streamable with plain byte ranges.
 */
export interface Manifest {
  readonly key: string;
  /** Body bytes. */
  readonly size: number;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly etag: string;
  readonly sha256: string;
  /** Milliseconds since the epoch, set when the object was written. */
  readonly lastModified: number;
}

const MAGIC = Buffer.from('LSO1', 'ascii');
const FOOTER_BYTES = 8;
/** Manifests are small (metadata is capped at 2 KiB); a larger length means the file is not ours. */
const MAX_MANIFEST_BYTES = 64 * 1024;
/** One read at the tail usually covers footer and manifest together. */
const TAIL_READ_BYTES = 4096;

/** The bytes to append after the body. */
export function encodeTrailer(manifest: Manifest): Buffer {
  const json = Buffer.from(JSON.stringify(manifest), 'utf8');
  const footer = Buffer.alloc(FOOTER_BYTES);
  footer.writeUInt32BE(json.length, 0);
  MAGIC.copy(footer, 4);
  return Buffer.concat([json, footer]);
}

/** The manifest of an open object file of `fileSize` bytes, or undefined when it is not a valid one. */
export async function readManifest(handle: FileHandle, fileSize: number): Promise<Manifest | undefined> {
  if (fileSize < FOOTER_BYTES) return undefined;
  const tailLength = Math.min(fileSize, TAIL_READ_BYTES);
  const tail = await readExactly(handle, fileSize - tailLength, tailLength);
  const footer = tail.subarray(tailLength - FOOTER_BYTES);
  if (!footer.subarray(4).equals(MAGIC)) return undefined;
  const jsonLength = footer.readUInt32BE(0);
  if (jsonLength > MAX_MANIFEST_BYTES || jsonLength + FOOTER_BYTES > fileSize) return undefined;
  const json =
    jsonLength + FOOTER_BYTES <= tailLength
      ? tail.subarray(tailLength - FOOTER_BYTES - jsonLength, tailLength - FOOTER_BYTES)
      : await readExactly(handle, fileSize - FOOTER_BYTES - jsonLength, jsonLength);
  const manifest = parseManifest(json);
  return manifest?.size === fileSize - FOOTER_BYTES - jsonLength ? manifest : undefined;
}

function parseManifest(json: Buffer): Manifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const valid =
    typeof m.key === 'string' &&
    Number.isSafeInteger(m.size) &&
    typeof m.contentType === 'string' &&
    typeof m.metadata === 'object' &&
    m.metadata !== null &&
    typeof m.etag === 'string' &&
    typeof m.sha256 === 'string' &&
    Number.isFinite(m.lastModified);
  return valid ? (value as Manifest) : undefined;
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new Error('object file ended early');
    filled += bytesRead;
  }
  return buffer;
}

/** Writes all of `chunk`: a file write may take fewer bytes than asked. */
export async function writeFully(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}
