import { acceptableRequestId, newRequestId } from '../../request-id.ts';
import type { Interceptor } from '../context.ts';

export const REQUEST_ID_KEY = 'x-request-id';

/** Takes the caller's `x-request-id` or makes one, and echoes it in the response headers. */
export function requestIdInterceptor(): Interceptor {
  return (call, next) => {
    const given = call.metadata.get(REQUEST_ID_KEY)[0];
    call.requestId = acceptableRequestId(given) ?? newRequestId();
    call.responseMetadata.set(REQUEST_ID_KEY, call.requestId);
    return next(call);
  };
}
