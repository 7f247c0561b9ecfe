/** Looks up the generated ts-proto codec of a message by its proto name, as the table-driven tests need. */
import { Empty } from '../../../adapters/grpc/generated/google/protobuf/empty.ts';
import * as generated from '../../../adapters/grpc/generated/listings/v1/listings.ts';

/** The part of ts-proto's MessageFns the tests use, without its per-message generics. */
export interface Codec {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromPartial(object: unknown): unknown;
}

export function codecOf(message: string): Codec {
  const codec = message === 'g.p.Empty' ? Empty : (generated as unknown as Record<string, unknown>)[message];
  if (typeof codec !== 'object' || codec === null || !('encode' in codec)) {
    throw new Error(`no generated codec for ${message}`);
  }
  return codec as Codec;
}

/** Encodes a partial object (missing fields take their defaults) with the generated codec. */
export function encode(message: string, partial: unknown): Uint8Array {
  const codec = codecOf(message);
  return codec.encode(codec.fromPartial(partial)).finish();
}
