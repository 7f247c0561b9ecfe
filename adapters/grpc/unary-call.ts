import { type handleUnaryCall, Metadata } from '@grpc/grpc-js';
import { AppError } from '../../src/domain/errors.ts';
import type { CallState, HandlerContext, Interceptor } from './context.ts';
import { rejectWhenAborted } from './interceptors/deadline.ts';
import { REQUEST_ID_KEY } from './interceptors/request-id.ts';
import { ipOf } from './peer-address.ts';
import type { RpcEntry } from './rpcs.ts';
import { toServiceError } from './status-details.ts';

/** A handler with its request/response types erased, as the registry stores it. */
export type AnyUnaryHandler = (request: unknown, context: HandlerContext) => Promise<unknown>;

function notImplemented(rpc: RpcEntry): AnyUnaryHandler {
  return async () => {
    throw new AppError('NOT_IMPLEMENTED', `method ${rpc.name} not implemented`);
  };
}

/** Runs `interceptors` outermost first around `last`. */
export function compose(interceptors: readonly Interceptor[], call: CallState, last: () => Promise<unknown>) {
  const run = (index: number): Promise<unknown> => {
    const interceptor = interceptors[index];
    return interceptor === undefined ? last() : interceptor(call, () => run(index + 1));
  };
  return run(0);
}

/**
 * Adapts a promise-returning handler to grpc-js's unary callback, through the interceptors. The handler is raced
 * against the call's signal, so an abandoned handler never delays the answer.
 */
export function unaryCall(
  rpc: RpcEntry,
  handler: AnyUnaryHandler | undefined,
  interceptors: readonly Interceptor[],
): handleUnaryCall<unknown, unknown> {
  const handle = handler ?? notImplemented(rpc);
  return (grpcCall, callback) => {
    const controller = new AbortController();
    const deadline = grpcCall.getDeadline();
    const clientDeadline = deadline instanceof Date ? deadline.getTime() : deadline;
    const call: CallState = {
      rpc: rpc.name,
      path: rpc.path,
      metadata: grpcCall.metadata,
      peer: grpcCall.getPeer(),
      peerIp: ipOf(grpcCall.getPeer()),
      startedAt: performance.now(),
      clientDeadline,
      signal: controller.signal,
      abort: (reason) => controller.abort(reason),
      responseMetadata: new Metadata(),
      requestId: '',
      principal: undefined,
      deadline: clientDeadline,
      cancelled: false,
    };
    grpcCall.on('cancelled', () => {
      // grpc-js cancels the call itself when the client's deadline passes; that is a timeout, not a cancel.
      if (Date.now() + 5 >= call.clientDeadline) {
        call.abort(new AppError('DEADLINE_EXCEEDED', 'deadline exceeded'));
        return;
      }
      call.cancelled = true;
      call.abort(new AppError('INTERRUPTED', 'call cancelled by the client'));
    });

    const invoke = () => {
      const context: HandlerContext = {
        principal: call.principal,
        signal: call.signal,
        requestId: call.requestId,
        metadata: call.metadata,
        deadline: call.deadline,
      };
      return Promise.race([handle(grpcCall.request, context), rejectWhenAborted(call.signal)]);
    };

    compose(interceptors, call, invoke).then(
      (response) => {
        if (call.cancelled) return;
        grpcCall.sendMetadata(call.responseMetadata);
        callback(null, response);
      },
      (error: unknown) => {
        if (call.cancelled) return;
        const serviceError = toServiceError(error);
        if (call.requestId !== '') serviceError.metadata.set(REQUEST_ID_KEY, call.requestId);
        grpcCall.sendMetadata(call.responseMetadata);
        callback(serviceError);
      },
    );
  };
}
