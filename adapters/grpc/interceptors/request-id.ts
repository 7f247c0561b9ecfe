import { randomUUID } from 'node:crypto';
import type { Interceptor } from '../context.ts';

export const REQUEST_ID_KEY = 'x-request-id';

/** Ids a caller may choose; anything else (too long, control characters) is replaced so logs stay clean. */
const ACCEPTABLE = /^[A-Za-z0-9._:/+=-]{1,128}$/;

/** Takes the caller's `x-request-id` or makes one, and echoes it in the response headers. */
export function requestIdInterceptor(): Interceptor {
  return (call, next) => {
    const given = call.metadata.get(REQUEST_ID_KEY)[0];
    call.requestId = typeof given === 'string' && ACCEPTABLE.test(given) ? given : randomUUID();
    call.responseMetadata.set(REQUEST_ID_KEY, call.requestId);
    return next();
  };
}
