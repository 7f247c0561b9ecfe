/**
 * The grpc-js service definition must expose the 53 unary RPCs of the reference (§3.2) under
 * /listings.v1.ListingsService/<Rpc>, each serializing its reference request and response message.
 */
import { describe, expect, it } from 'vitest';
import { ListingsServiceService, protobufPackage } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { codecOf, encode } from './codecs.ts';
import { REFERENCE_RPCS } from './reference.ts';
import { sampleOf } from './samples.ts';

interface MethodDefinition {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize(value: unknown): Buffer;
  requestDeserialize(bytes: Buffer): unknown;
  responseSerialize(value: unknown): Buffer;
  responseDeserialize(bytes: Buffer): unknown;
}

const methods = Object.values(ListingsServiceService) as MethodDefinition[];
const byPath = new Map(methods.map((m) => [m.path, m]));
const sample = (message: string) => (message === 'g.p.Empty' ? {} : sampleOf(message));

describe('ListingsService definition', () => {
  it('is package listings.v1 with exactly the 53 reference RPCs', () => {
    expect(protobufPackage).toBe('listings.v1');
    expect(methods.map((m) => m.path).sort()).toEqual(
      Object.keys(REFERENCE_RPCS)
        .map((rpc) => `/listings.v1.ListingsService/${rpc}`)
        .sort(),
    );
  });

  it.each(Object.entries(REFERENCE_RPCS))('%s is unary %j', (rpc, [request, response]) => {
    const method = byPath.get(`/listings.v1.ListingsService/${rpc}`)!;
    expect(method.requestStream).toBe(false);
    expect(method.responseStream).toBe(false);
    for (const [message, serialize, deserialize] of [
      [request, method.requestSerialize, method.requestDeserialize],
      [response, method.responseSerialize, method.responseDeserialize],
    ] as const) {
      const codec = codecOf(message);
      const value = codec.fromPartial(sample(message));
      const bytes = serialize(value);
      expect(new Uint8Array(bytes)).toEqual(encode(message, sample(message)));
      expect(deserialize(bytes)).toStrictEqual(value);
    }
  });
});
