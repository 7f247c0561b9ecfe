/**
 * Request ids a caller may choose (`x-request-id` on REST and gRPC alike); anything else (too long, spaces, quotes,
 * control or non-ASCII characters) is replaced by a fresh UUID, so an id written into logs and echoed in headers is
 * always a short plain token.
 */
const ACCEPTABLE = /^[A-Za-z0-9._:/+=-]{1,128}$/;

export function acceptableRequestId(given: unknown): string | undefined {
  return typeof given === 'string' && ACCEPTABLE.test(given) ? given : undefined;
}
