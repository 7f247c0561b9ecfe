/**
 * `listings/client`: a typed, promise-based client for all 53 RPCs of listings.v1.ListingsService.
 *
 *   const client = createListingsClient('localhost:50053', { token: () => session.jwt });
 *   const { listing } = await client.getListing({ id: 42 });
 *
 * Methods are the RPC names with a lower-case first letter (`getProductsBySKUs`). Requests are the generated
 * message types (build partial ones with the codec's `fromPartial`, e.g. `GetListingRequest.fromPartial({ id })`).
 * Failures reject with ListingsClientError. Idempotent RPCs are retried (see retry-policy.ts); others never are.
 */
import { randomUUID } from 'node:crypto';
import {
  type ChannelCredentials,
  type ChannelOptions,
  Client,
  credentials,
  Metadata,
  type ServiceError,
} from '@grpc/grpc-js';
import { DEFAULT_TIMEOUT_MS, DEFAULT_TIMEOUTS_MS } from '../interceptors/deadline.ts';
import { REQUEST_ID_KEY } from '../interceptors/request-id.ts';
import { type RequestOf, type ResponseOf, RPCS, type RpcEntry, type RpcName } from '../rpcs.ts';
import { ListingsClientError } from './errors.ts';
import { type RetryOptions, retryDelay } from './retry-policy.ts';

export type { RequestOf, ResponseOf, RpcName } from '../rpcs.ts';
export { ListingsClientError, type StatusDetails } from './errors.ts';
export { isIdempotentRpc, isReadRpc, type RetryOptions } from './retry-policy.ts';

export interface KeepaliveOptions {
  /** Ping an idle connection after this long (`grpc.keepalive_time_ms`, default 60 s). */
  readonly timeMs?: number;
  /** Drop the connection when a ping is not answered within this (`grpc.keepalive_timeout_ms`, default 20 s). */
  readonly timeoutMs?: number;
  /** Ping even with no call in flight (`grpc.keepalive_permit_without_calls`, default false). */
  readonly permitWithoutCalls?: boolean;
}

export interface ListingsClientOptions {
  /** Bearer token sent as `authorization`, or a function asked before every attempt (tokens expire). */
  readonly token?: string | (() => string | Promise<string>);
  /** Per-attempt deadline: one number for every RPC, or per RPC (default: the server's §8 timeouts, else 30 s). */
  readonly deadlineMs?: number | Readonly<Partial<Record<RpcName, number>>>;
  readonly retries?: RetryOptions;
  readonly keepalive?: KeepaliveOptions;
  /** Default: plaintext, as the service serves. */
  readonly credentials?: ChannelCredentials;
  /** Extra grpc-js channel options. */
  readonly channelOptions?: ChannelOptions;
  /** Source of jitter, in [0, 1) (tests pin it). */
  readonly random?: () => number;
}

export interface CallOptions {
  /** Overrides the deadline of each attempt. */
  readonly deadlineMs?: number;
  /** Extra request metadata. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Sent as `x-request-id` on every attempt (default: a fresh UUID per call). */
  readonly requestId?: string;
  /** Cancels the call (and any retry wait). */
  readonly signal?: AbortSignal;
  /**
   * Receives the response headers (initial metadata) of each attempt that got any, e.g. `x-search-engine` of
   * SearchListings, which the response message does not carry.
   */
  readonly onMetadata?: (metadata: Metadata) => void;
}

export type ListingsClient = {
  readonly [N in RpcName as Uncapitalize<N>]: (request: RequestOf<N>, options?: CallOptions) => Promise<ResponseOf<N>>;
} & {
  /** Closes the channel; calls in flight fail with CANCELLED. */
  close(): void;
};

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createListingsClient(address: string, options: ListingsClientOptions = {}): ListingsClient {
  const keepalive = options.keepalive ?? {};
  const client = new Client(address, options.credentials ?? credentials.createInsecure(), {
    'grpc.keepalive_time_ms': keepalive.timeMs ?? 60_000,
    'grpc.keepalive_timeout_ms': keepalive.timeoutMs ?? 20_000,
    'grpc.keepalive_permit_without_calls': keepalive.permitWithoutCalls ? 1 : 0,
    // Nothing in this process reads channelz; it is per-call bookkeeping (counters, timestamps) otherwise.
    'grpc.enable_channelz': 0,
    ...options.channelOptions,
  });
  const random = options.random ?? Math.random;

  const deadlineOf = (rpc: RpcName, callOptions: CallOptions): number => {
    if (callOptions.deadlineMs !== undefined) return callOptions.deadlineMs;
    const configured = options.deadlineMs;
    if (typeof configured === 'number') return configured;
    return configured?.[rpc] ?? DEFAULT_TIMEOUTS_MS[rpc] ?? DEFAULT_TIMEOUT_MS;
  };

  const metadataWith = (callOptions: CallOptions, requestId: string, token: string | undefined): Metadata => {
    const metadata = new Metadata();
    const extra = callOptions.metadata;
    if (extra !== undefined) for (const key of Object.keys(extra)) metadata.set(key, extra[key] as string);
    metadata.set(REQUEST_ID_KEY, requestId);
    if (token !== undefined && token !== '') metadata.set('authorization', `Bearer ${token}`);
    return metadata;
  };
  // A fixed token (or none) builds the metadata at once; only a token function is awaited before each attempt.
  const metadataFor = (callOptions: CallOptions, requestId: string): Metadata | Promise<Metadata> => {
    const token = options.token;
    if (typeof token !== 'function') return metadataWith(callOptions, requestId, token);
    return Promise.resolve(token()).then((value) => metadataWith(callOptions, requestId, value));
  };

  const attempt = (rpc: RpcEntry, request: unknown, metadata: Metadata, deadlineMs: number, callOptions: CallOptions) =>
    new Promise<unknown>((resolve, reject) => {
      const { signal, onMetadata } = callOptions;
      const onAbort = () => call.cancel();
      const call = makeUnaryRequestWithoutCallerStack(
        rpc,
        request,
        metadata,
        { deadline: Date.now() + deadlineMs },
        (error: ServiceError | null, response?: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          if (error) reject(new ListingsClientError(rpc.name, error));
          else resolve(response);
        },
      );
      if (onMetadata !== undefined) call.on('metadata', onMetadata);
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  /**
   * grpc-js records the caller's stack (`new Error()`) on every call, to append it to a failed call's error; our
   * ListingsClientError never carries that error or its stack, and the capture cost ~5 µs per call, a few per cent
   * of a cached GetListing round trip. The limit is put back before anything else runs (all of it is synchronous).
   */
  const makeUnaryRequestWithoutCallerStack = (
    rpc: RpcEntry,
    request: unknown,
    metadata: Metadata,
    callOptions: { deadline: number },
    callback: (error: ServiceError | null, response?: unknown) => void,
  ) => {
    const { requestSerialize, responseDeserialize } = rpc.definition;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return client.makeUnaryRequest(
        rpc.path,
        requestSerialize,
        responseDeserialize,
        request,
        metadata,
        callOptions,
        callback,
      );
    } finally {
      Error.stackTraceLimit = limit;
    }
  };

  const invoke = async (rpc: RpcEntry, request: unknown, callOptions: CallOptions = {}): Promise<unknown> => {
    const requestId = callOptions.requestId ?? randomUUID();
    for (let n = 1; ; n++) {
      try {
        const pending = metadataFor(callOptions, requestId);
        const metadata = pending instanceof Metadata ? pending : await pending;
        return await attempt(rpc, request, metadata, deadlineOf(rpc.name, callOptions), callOptions);
      } catch (error) {
        if (!(error instanceof ListingsClientError) || callOptions.signal?.aborted) throw error;
        const delay = retryDelay(rpc.name, error, n, options.retries ?? {}, random);
        if (delay === undefined) throw error;
        await sleep(delay, callOptions.signal);
      }
    }
  };

  const methods: Record<string, unknown> = { close: () => client.close() };
  for (const rpc of RPCS) {
    const name = rpc.name.charAt(0).toLowerCase() + rpc.name.slice(1);
    methods[name] = (request: unknown, callOptions?: CallOptions) => invoke(rpc, request, callOptions);
  }
  return methods as ListingsClient;
}
