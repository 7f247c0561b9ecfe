import { type handleUnaryCall, Metadata } from '@grpc/grpc-js';
import { AppError } from '../../src/domain/errors.ts';
import type { CallState, HandlerContext, Interceptor } from './context.ts';
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
    // One promise per call rejects with the abort reason; the deadline layer and the handler race against it
    // (an AbortSignal listener each cost more than the rest of a cached read's interceptors).
    let rejectAborted: (reason: unknown) => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      rejectAborted = reject;
    });
    aborted.catch(() => {});
    const deadline = grpcCall.getDeadline();
    const clientDeadline = deadline instanceof Date ? deadline.getTime() : deadline;
    const peer = grpcCall.getPeer();
    let peerIp: string | undefined | null = null;
    let answered = false;
    const call: CallState = {
      rpc: rpc.name,
      path: rpc.path,
      metadata: grpcCall.metadata,
      peer,
      // Parsed when asked (trusted peers, rate limiting): most calls never need it.
      get peerIp() {
        if (peerIp === null) peerIp = ipOf(peer);
        return peerIp;
      },
      startedAt: performance.now(),
      clientDeadline,
      signal: controller.signal,
      aborted,
      abort(reason) {
        if (controller.signal.aborted) return;
        controller.abort(reason);
        rejectAborted(reason);
      },
      responseMetadata: new Metadata(),
      requestId: '',
      principal: undefined,
      deadline: clientDeadline,
      cancelled: false,
    };
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

    const invoke = () => {
      const context: HandlerContext = {
        principal: call.principal,
        signal: call.signal,
        requestId: call.requestId,
        metadata: call.metadata,
        responseMetadata: call.responseMetadata,
        deadline: call.deadline,
      };
      return Promise.race([handle(grpcCall.request, context), aborted]);
    };

    compose(interceptors, call, invoke).then(
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
