import type { Client } from 'minio';
import type { Logger } from '../../ports/logger.ts';

/** S3 accepts at most this many parts in one multipart upload. */
const MAX_PARTS = 10_000;
/** S3's smallest part (every part but the last). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

export interface UploadTarget {
  readonly client: Client;
  readonly bucket: string;
  readonly key: string;
  /** `Content-Type` and `x-amz-meta-*` headers of the object. */
  readonly headers: Record<string, string>;
  /** Bytes per part; also the most this upload holds in memory. */
  readonly partSize: number;
  /** The body's length when announced: sizes the first buffer, so a small image does not take a whole part. */
  readonly expectedBytes?: number;
  /** Told when an abort fails, since S3 then keeps the orphaned parts until a lifecycle rule removes them. */
  readonly logger?: Logger;
}

/** First buffer size when the length is unknown; it doubles up to the part size as bytes arrive. */
const INITIAL_BUFFER_BYTES = 64 * 1024;

/**
 * Uploads `chunks` holding one part in memory at a time, in one reused buffer.
 *
 * A body that fits in one part is sent with a single PUT (no multipart round trips for a typical image).
 * A larger one becomes a multipart upload, parts sent one after another; reading pauses while a part is
 * sent, so a fast producer waits instead of piling up in memory. If anything fails (the body errors,
 * exceeds its limit, or the server refuses a part) the multipart upload is aborted, so S3 keeps neither
 * an object nor the parts. We do not use the client's `putObject` for streams: for an unknown length it
 * buffers parts of ~528 MiB, resumes a stale upload of the same key, and never aborts a failed one.
 */
export async function uploadChunks(target: UploadTarget, chunks: AsyncIterable<Uint8Array>): Promise<{ etag: string }> {
  const { client, bucket, key, headers, partSize } = target;
  let part = Buffer.allocUnsafe(Math.min(partSize, Math.max(1, target.expectedBytes ?? INITIAL_BUFFER_BYTES)));
  let filled = 0;
  let multipart: { uploadId: string; etags: { part: number; etag: string }[] } | undefined;
  try {
    for await (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.byteLength) {
        // A full part is sent only once more bytes arrive, so a body of exactly one part stays a single PUT.
        if (filled === partSize) {
          multipart ??= { uploadId: await client.initiateNewMultipartUpload(bucket, key, headers), etags: [] };
          await sendPart(target, multipart, part.subarray(0, filled));
          filled = 0;
        } else if (filled === part.length) {
          const bigger = Buffer.allocUnsafe(Math.min(partSize, part.length * 2));
          part.copy(bigger, 0, 0, filled);
          part = bigger;
        }
        const take = Math.min(part.length - filled, chunk.byteLength - offset);
        part.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
      }
    }
    if (!multipart) {
      const { etag } = await client.putObject(bucket, key, part.subarray(0, filled), filled, headers);
      return { etag };
    }
    if (filled > 0) await sendPart(target, multipart, part.subarray(0, filled));
    const { etag } = await client.completeMultipartUpload(bucket, key, multipart.uploadId, multipart.etags);
    return { etag };
  } catch (error) {
    if (multipart) await abort(target, multipart.uploadId);
    throw error;
  }
}

async function sendPart(
  { client, bucket, key }: UploadTarget,
  upload: { uploadId: string; etags: { part: number; etag: string }[] },
  bytes: Buffer,
): Promise<void> {
  const partNumber = upload.etags.length + 1;
  if (partNumber > MAX_PARTS) throw new Error(`the object needs more than ${MAX_PARTS} parts; raise the part size`);
  const { etag } = await client.uploadPart(
    { bucketName: bucket, objectName: key, uploadID: upload.uploadId, partNumber, headers: {} },
    bytes,
  );
  upload.etags.push({ part: partNumber, etag });
}

/** Best effort: the caller gets the upload's own error either way. */
async function abort({ client, bucket, key, logger }: UploadTarget, uploadId: string): Promise<void> {
  try {
    await client.abortMultipartUpload(bucket, key, uploadId);
  } catch (error) {
    logger?.warn({ bucket, key, uploadId, error: String(error) }, 'could not abort a failed multipart upload');
  }
}

/** The part size for a body: the configured one, grown when a known length would need over 10,000 parts. */
export function partSizeFor(configured: number, contentLength: number | undefined): number {
  if (contentLength === undefined) return configured;
  const needed = Math.ceil(contentLength / MAX_PARTS);
  const mib = 1024 * 1024;
  return Math.max(configured, Math.ceil(needed / mib) * mib);
}
