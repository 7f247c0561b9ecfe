import type { Metadata } from '@grpc/grpc-js';
import type { Principal } from '../../ports/principal.ts';
import type { RequestOf, ResponseOf, RpcName } from './rpcs.ts';

export type { Principal };

/** What a handler receives besides the request. */
export interface HandlerContext {
  /** Undefined for anonymous callers: each handler decides whether that is allowed. */
  readonly principal: Principal | undefined;
  /** Aborted when the effective deadline passes or the client cancels; pass it down to I/O. */
  readonly signal: AbortSignal;
  readonly requestId: string;
  /** The caller's request metadata, as received. */
  readonly metadata: Metadata;
  /**
   * Response headers (initial metadata), sent with the answer or the error: a handler adds what callers may read
   * without a new proto field (e.g. `x-search-engine`).
   */
  readonly responseMetadata: Metadata;
  /** Effective deadline, epoch milliseconds: the tighter of the client's and the method's timeout. */
  readonly deadline: number;
}

/**
 * A use case behind an RPC: resolve with the response message, or throw an AppError (mapped by
 * status-details.ts). Anything else thrown becomes INTERNAL without its message.
 */
export type UnaryHandler<N extends RpcName> = (
  request: RequestOf<N>,
  context: HandlerContext,
) => Promise<ResponseOf<N>>;

/** Handlers by proto RPC name; an RPC without one answers UNIMPLEMENTED `method <Rpc> not implemented`. */
export type Handlers = { readonly [N in RpcName]?: UnaryHandler<N> };

/** The state of one call as it passes through the interceptors; they fill in what the handler context needs. */
export interface CallState {
  readonly rpc: RpcName;
  /** `/listings.v1.ListingsService/<Rpc>`. */
  readonly path: string;
  readonly metadata: Metadata;
  /** Peer as grpc-js reports it (`10.0.0.5:51234`). */
  readonly peer: string;
  /** Peer IP without the port, normalised (`::ffff:` prefix removed); undefined if not an IP. */
  readonly peerIp: string | undefined;
  /** `performance.now()` when the call arrived. */
  readonly startedAt: number;
  /** The client's deadline, epoch milliseconds; Infinity when it sent none. */
  readonly clientDeadline: number;
  readonly signal: AbortSignal;
  /** Rejects with the abort reason once the call is aborted (never resolves): race work against it. */
  readonly aborted: Promise<never>;
  /** Aborts the call's signal (the first reason wins); the reason is what the caller is answered with. */
  abort(reason: unknown): void;
  /** Headers sent back with the response (e.g. `x-request-id`). */
  readonly responseMetadata: Metadata;
  requestId: string;
  principal: Principal | undefined;
  deadline: number;
  /** True once the client cancelled (or the transport closed): nobody will read the answer. */
  cancelled: boolean;
}

/** The rest of the chain below a layer, ending in the handler (composed once per RPC when the server is built). */
export type Next = (call: CallState) => Promise<unknown>;

/**
 * An onion layer around the handler: may fill `call`, short-circuit by throwing, or observe `next(call)`. A layer
 * that waits for something of its own (a token check, a rate-limit store) races that wait against `call.aborted`,
 * so an aborted call (deadline, cancel) is answered at once; the handler is raced the same way (unary-call.ts).
 */
export type Interceptor = (call: CallState, next: Next) => Promise<unknown>;

/** The logging the gRPC adapter needs; the pino-backed port Logger fits. */
export interface GrpcLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  /** Whether a line of this level would be written (pino's); without it every level counts as enabled. */
  isLevelEnabled?(level: 'info' | 'warn' | 'error'): boolean;
}
