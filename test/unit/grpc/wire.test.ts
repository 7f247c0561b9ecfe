/**
 * The generated code must put every field on the wire exactly as the original Go service did:
 * checked byte by byte against field numbers and types typed from the reference (§3.5), not from the .proto.
 */
import { describe, expect, it } from 'vitest';
import { Listing } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { codecOf, encode } from './codecs.ts';
import { camel, REFERENCE_MESSAGES, REFERENCE_RPCS } from './reference.ts';
import { parseFieldType } from './reference-types.ts';
import { sampleOf } from './samples.ts';
import { checkMessage, isPopulated } from './wire-check.ts';
import { readRecords, writeVarint } from './wire-reader.ts';

const MESSAGES = Object.keys(REFERENCE_MESSAGES);

describe('reference tables', () => {
  it('list the 101 messages and 53 RPCs of the contract, each with a generated codec', () => {
    expect(MESSAGES).toHaveLength(101);
    expect(Object.keys(REFERENCE_RPCS)).toHaveLength(53);
    for (const name of MESSAGES) expect(() => codecOf(name), name).not.toThrow();
  });
});

describe.each(MESSAGES)('%s', (message) => {
  const sample = sampleOf(message);
  const bytes = encode(message, sample);

  it('sample populates every field', () => {
    const unset = Object.entries(REFERENCE_MESSAGES[message]!)
      .filter(([field, [, type]]) => !isPopulated(sample[camel(field)], parseFieldType(type).cardinality))
      .map(([field]) => field);
    expect(unset).toEqual([]);
  });

  it('encodes every field with the reference number, wire type and value', () => {
    expect(checkMessage(message, sample, bytes)).toEqual([]);
  });

  it('decodes its own encoding back to the same message', () => {
    const codec = codecOf(message);
    const input = codec.fromPartial(sample);
    expect(codec.decode(codec.encode(input).finish())).toStrictEqual(input);
  });
});

describe('spot checks of the reference numbers', () => {
  const field = (bytes: Uint8Array, num: number) => readRecords(bytes).find((r) => r.field === num);

  it('Listing.views_count is field 14 varint, price field 7 fixed64', () => {
    const bytes = encode('Listing', { viewsCount: 42, price: 19.99 });
    expect(field(bytes, 14)).toMatchObject({ wireType: 0, int: 42n });
    expect(field(bytes, 7)).toMatchObject({ wireType: 1, double: 19.99 });
  });

  it('Product.created_at is field 16 length-delimited (google.protobuf.Timestamp)', () => {
    const bytes = encode('Product', { createdAt: { seconds: 1_762_689_600, nanos: 0 } });
    const createdAt = field(bytes, 16);
    expect(createdAt?.wireType).toBe(2);
    expect(readRecords(createdAt!.bytes!)).toEqual([{ field: 1, wireType: 0, int: 1_762_689_600n }]);
  });

  it('Listing.created_at is an RFC 3339 string in field 16', () => {
    const bytes = encode('Listing', { createdAt: '2025-11-09T12:00:00Z' });
    expect(new TextDecoder().decode(field(bytes, 16)?.bytes)).toBe('2025-11-09T12:00:00Z');
  });
});

describe('64-bit and negative integers', () => {
  it('int64 is exact up to Number.MAX_SAFE_INTEGER (2^53 - 1)', () => {
    const bytes = encode('Listing', { id: Number.MAX_SAFE_INTEGER });
    expect(readRecords(bytes)).toEqual([{ field: 1, wireType: 0, int: 2n ** 53n - 1n }]);
    expect(Listing.decode(bytes).id).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('decoding an int64 beyond 2^53 - 1 throws rather than rounding', () => {
    const bytes = Uint8Array.from([0x08, ...writeVarint(2n ** 53n + 1n)]);
    expect(() => Listing.decode(bytes)).toThrow(/MAX_SAFE_INTEGER/);
  });

  it('a negative int32 is a 10-byte sign-extended varint, as Go writes it', () => {
    const bytes = encode('Listing', { quantity: -1 });
    expect(bytes).toHaveLength(11);
    expect(BigInt.asIntN(64, readRecords(bytes)[0]!.int!)).toBe(-1n);
    expect(Listing.decode(bytes).quantity).toBe(-1);
  });
});
