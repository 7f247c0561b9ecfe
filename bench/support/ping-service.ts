import type * as grpc from '@grpc/grpc-js';

/** The bare gRPC baseline: one unary method whose messages are raw Buffers (identity serializers). */
export const PING_PATH = '/bench.Bench/Ping';

/**
 * An informational second method, the transport floor of a GetListing: the caller sends what our client sends (a
 * two-byte request, a deadline, an `x-request-id`) and it answers what our server answers (that id echoed in the
 * response headers, a body of {@link FLOOR_RESPONSE_BYTES}), with no work in between.
 */
export const FLOOR_PATH = '/bench.Bench/Floor';
/** About the size of a bench listing's encoded GetListingResponse (the benchmark prints the real one). */
export const FLOOR_RESPONSE_BYTES = 416;
export const REQUEST_ID_HEADER = 'x-request-id';

const identity = (value: Buffer) => value;
const method = (path: string) => ({
  path,
  requestStream: false,
  responseStream: false,
  requestSerialize: identity,
  requestDeserialize: identity,
  responseSerialize: identity,
  responseDeserialize: identity,
});
export const PING_SERVICE: grpc.ServiceDefinition = { ping: method(PING_PATH), floor: method(FLOOR_PATH) };
