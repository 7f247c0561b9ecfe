import type { Metadata } from '@grpc/grpc-js';
import type { CallState, HandlerContext, Principal } from './context.ts';
import { ipOf } from './peer-address.ts';
import type { RpcName } from './rpcs.ts';

/**
 * The state of one call, which is also what its handler receives as context. A class rather than a literal with
 * closures, and the AbortController is made only when something asks for its signal (a cached read never does before
 * it is answered); the `aborted` promise, which every handler is raced against (unary-call.ts), is made on that first
 * read. A call costs a few microseconds of the server's time in all.
 */
export class ServerCallState implements CallState, HandlerContext {
  readonly rpc: RpcName;
  readonly path: string;
  /** The decoded request message. */
  readonly request: unknown;
  readonly metadata: Metadata;
  readonly startedAt: number;
  readonly clientDeadline: number;
  readonly responseMetadata: Metadata;
  requestId = '';
  principal: Principal | undefined = undefined;
  deadline: number;
  cancelled = false;
  readonly #peerOf: () => string;
  #peer: string | undefined;
  #peerIp: string | undefined | null = null;
  #controller: AbortController | undefined;
  #aborted: Promise<never> | undefined;
  #rejectAborted: ((reason: unknown) => void) | undefined;
  #isAborted = false;
  #reason: unknown;

  constructor(
    rpc: RpcName,
    path: string,
    request: unknown,
    metadata: Metadata,
    peerOf: () => string,
    clientDeadline: number,
    responseMetadata: Metadata,
  ) {
    this.rpc = rpc;
    this.path = path;
    this.request = request;
    this.metadata = metadata;
    this.#peerOf = peerOf;
    this.startedAt = performance.now();
    this.clientDeadline = clientDeadline;
    this.deadline = clientDeadline;
    this.responseMetadata = responseMetadata;
  }

  /**
   * Asked of grpc-js when first read (a written log line, trusted peers, rate limiting by IP): its getPeer reads the
   * remote address through the HTTP/2 session's socket proxy, about a microsecond a call.
   */
  get peer(): string {
    if (this.#peer === undefined) this.#peer = this.#peerOf();
    return this.#peer;
  }

  /** Parsed when asked (trusted peers, rate limiting): most calls never need it. */
  get peerIp(): string | undefined {
    if (this.#peerIp === null) this.#peerIp = ipOf(this.peer);
    return this.#peerIp;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#isAborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get aborted(): Promise<never> {
    if (this.#aborted === undefined) {
      if (this.#isAborted) {
        this.#aborted = Promise.reject(this.#reason);
      } else {
        this.#aborted = new Promise<never>((_, reject) => {
          this.#rejectAborted = reject;
        });
      }
      this.#aborted.catch(() => {});
    }
    return this.#aborted;
  }

  abort(reason: unknown): void {
    if (this.#isAborted) return;
    this.#isAborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.#rejectAborted?.(reason);
  }
}
