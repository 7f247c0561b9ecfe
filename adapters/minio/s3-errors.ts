import { AppError } from '../../src/domain/errors.ts';

/** S3 error codes meaning "no such object" (HEAD answers without a body, so the client names it NotFound). */
const MISSING_OBJECT = new Set(['NoSuchKey', 'NotFound']);

/** The server is unreachable, overloaded, or refuses our credentials or bucket: not the caller's fault. */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'NoSuchBucket',
  'ServiceUnavailable',
  'SlowDown',
  'XMinioServerNotInitialized',
  'XMinioStorageFull',
]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isMissingObject(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && MISSING_OBJECT.has(code);
}

/**
 * An error of the MinIO client as the catalogue knows it: AppErrors pass through, an unreachable or
 * refusing server is DEPENDENCY_UNAVAILABLE, anything else INTERNAL. Messages name the bucket, never keys
 * or credentials.
 */
export function s3Failure(error: unknown, action: string, bucket: string): AppError {
  if (error instanceof AppError) return error;
  const code = codeOf(error) ?? 'unknown';
  const kind = UNAVAILABLE.has(code) ? 'DEPENDENCY_UNAVAILABLE' : 'INTERNAL';
  // An unavailable server's message reaches callers as the 503's detail, and a socket error's names the server's
  // address (`connect ECONNREFUSED 10.0.3.7:9000`): its code says enough there; the cause keeps the rest.
  const message = error instanceof Error ? error.message : String(error);
  const text =
    kind === 'DEPENDENCY_UNAVAILABLE'
      ? `object storage could not ${action} in bucket ${bucket}: ${code}`
      : `object storage could not ${action} in bucket ${bucket}: ${code}: ${message}`;
  return new AppError(kind, text, { cause: error, details: { bucket, s3Code: code } });
}
