import { status as Status } from '@grpc/grpc-js';
import { isAppError } from '../../../src/domain/errors.ts';
import type { CallState, GrpcLogger, Interceptor } from '../context.ts';
import { statusName } from '../status-codes.ts';
import { grpcStatusOf, isUnexpectedError } from '../status-details.ts';
import { settled } from './settled.ts';

/** The status a finished call is reported with: a cancelled call's answer was never read. */
export function outcomeOf(call: CallState, error: unknown, failed: boolean): Status {
  if (!failed) return Status.OK;
  if (call.cancelled) return Status.CANCELLED;
  return grpcStatusOf(error);
}

/**
 * One structured line per call (method, code, duration_ms, request_id, peer). Placed just inside the request id
 * so that calls refused by the deadline, auth or rate-limit layers are logged too. Unexpected errors are logged
 * with their cause here, since the caller only ever sees `internal error`.
 */
export function accessLogInterceptor(logger: GrpcLogger): Interceptor {
  const log = (call: CallState, error: unknown, failed: boolean) => {
    const code = outcomeOf(call, error, failed);
    const unexpected = failed && code !== Status.CANCELLED && isUnexpectedError(error);
    // A line the logger would drop is not built (its fields read the peer address, among others).
    if (logger.isLevelEnabled?.(unexpected ? 'error' : 'info') === false) return;
    const fields: Record<string, unknown> = {
      method: call.path,
      code: statusName(code),
      duration_ms: Math.round((performance.now() - call.startedAt) * 1000) / 1000,
      request_id: call.requestId,
      peer: call.peer,
    };
    if (call.principal !== undefined) fields.subject = call.principal.subject;
    if (isAppError(error)) fields.error_code = error.code;
    if (unexpected) {
      logger.error({ ...fields, err: error }, 'grpc call failed unexpectedly');
    } else {
      logger.info(fields, 'grpc call');
    }
  };
  // Callbacks on the chain's promise rather than an async function around it: one promise less per call.
  return (call, next) =>
    settled(next, call).then(
      (response) => {
        log(call, undefined, false);
        return response;
      },
      (error: unknown) => {
        log(call, error, true);
        throw error;
      },
    );
}
