import { type handleUnaryCall, Metadata } from '@grpc/grpc-js';
import { AppError } from '../../src/domain/errors.ts';
import { ServerCallState } from './call-state.ts';
import type { HandlerContext, Interceptor, Next } from './context.ts';
import { REQUEST_ID_KEY } from './interceptors/request-id.ts';
import type { RpcEntry } from './rpcs.ts';
import { toServiceError } from './status-details.ts';

/** A handler with its request/response types erased, as the registry stores it. */
export type AnyUnaryHandler = (request: unknown, context: HandlerContext) => Promise<unknown>;

function notImplemented(rpc: RpcEntry): AnyUnaryHandler {
  return async () => {
    throw new AppError('NOT_IMPLEMENTED', `method ${rpc.name} not implemented`);
  };
}

/**
 * Runs `interceptors` outermost first around `last`, composed once: each layer's `next` is the layer below it, so
 * a call allocates no closure per layer.
 */
export function compose(interceptors: readonly Interceptor[], last: Next): Next {
  let next = last;
  for (let index = interceptors.length - 1; index >= 0; index--) {
    const interceptor = interceptors[index] as Interceptor;
    const below = next;
    next = (call) => interceptor(call, below);
  }
  return next;
}

/**
 * Adapts a promise-returning handler to grpc-js's unary callback, through the interceptors. The handler is raced
 * against the call's abort, so an abandoned handler never delays the answer.
 */
export function unaryCall(
  rpc: RpcEntry,
  handler: AnyUnaryHandler | undefined,
  interceptors: readonly Interceptor[],
): handleUnaryCall<unknown, unknown> {
  const handle = handler ?? notImplemented(rpc);
  // The call state is the handler's context too; the chain is shared by every call of this RPC.
  const chain = compose(interceptors, (call) => {
    const state = call as ServerCallState;
    return Promise.race([handle(state.request, state), state.aborted]);
  });
  return (grpcCall, callback) => {
    const deadline = grpcCall.getDeadline();
    const call = new ServerCallState(
      rpc.name,
      rpc.path,
      grpcCall.request,
      grpcCall.metadata,
      () => grpcCall.getPeer(),
      deadline instanceof Date ? deadline.getTime() : deadline,
      new Metadata(),
    );
    let answered = false;
    grpcCall.on('cancelled', () => {
      // grpc-js also reports every call it has answered as cancelled (its stream closes): nothing to abort then.
      if (answered) return;
      // grpc-js cancels the call itself when the client's deadline passes; that is a timeout, not a cancel.
      if (Date.now() + 5 >= call.clientDeadline) {
        call.abort(new AppError('DEADLINE_EXCEEDED', 'deadline exceeded'));
        return;
      }
      call.cancelled = true;
      call.abort(new AppError('INTERRUPTED', 'call cancelled by the client'));
    });

    chain(call).then(
      (response) => {
        if (call.cancelled) return;
        answered = true;
        grpcCall.sendMetadata(call.responseMetadata);
        callback(null, response);
      },
      (error: unknown) => {
        if (call.cancelled) return;
        answered = true;
        const serviceError = toServiceError(error);
        if (call.requestId !== '') serviceError.metadata.set(REQUEST_ID_KEY, call.requestId);
        grpcCall.sendMetadata(call.responseMetadata);
        callback(serviceError);
      },
    );
  };
}
