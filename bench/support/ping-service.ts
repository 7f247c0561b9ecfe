import type * as grpc from '@grpc/grpc-js';

/** The bare gRPC baseline: one unary method whose messages are raw Buffers (identity serializers). */
export const PING_PATH = '/bench.Bench/Ping';
const identity = (value: Buffer) => value;
export const PING_SERVICE: grpc.ServiceDefinition = {
  ping: {
    path: PING_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};
