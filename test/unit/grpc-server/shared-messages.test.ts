/** Responses of shared (frozen) values are built and encoded once; everything else as before, same bytes. */
import { afterEach, describe, expect, it } from 'vitest';
import { listingHandlers } from '../../../adapters/grpc/handlers/listings.ts';
import type { GrpcUseCases } from '../../../adapters/grpc/handlers/use-cases.ts';
import { toListingMessage } from '../../../adapters/grpc/mappers/listing-messages.ts';
import {
  builtOncePerSharedValue,
  encodedOncePerFrozenMessage,
} from '../../../adapters/grpc/mappers/shared-messages.ts';
import type { ListingDetails } from '../../../src/domain/listing.ts';
import { deepFreeze } from '../../../src/shared/deep-freeze.ts';
import { sampleListing } from '../use-cases/sample-listing.ts';
import { type Harness, startServer } from './harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('builtOncePerSharedValue', () => {
  it('builds once per frozen source and freezes the result; a mutable source is built every time', () => {
    let builds = 0;
    const build = builtOncePerSharedValue((source: { n: number }) => {
      builds += 1;
      return { doubled: [source.n * 2] };
    });
    const shared = deepFreeze({ n: 2 });
    const first = build(shared);
    expect(build(shared)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.doubled)).toBe(true);
    expect(builds).toBe(1);
    const mutable = { n: 3 };
    expect(build(mutable)).toEqual({ doubled: [6] });
    expect(build(mutable)).not.toBe(build(mutable));
    expect(builds).toBe(4);
  });
});

describe('encodedOncePerFrozenMessage', () => {
  it('keeps the bytes of a frozen message only', () => {
    let encodings = 0;
    const serialize = encodedOncePerFrozenMessage((value) => {
      encodings += 1;
      return Buffer.from(JSON.stringify(value));
    });
    const frozen = Object.freeze({ a: 1 });
    expect(serialize(frozen)).toBe(serialize(frozen));
    expect(encodings).toBe(1);
    const mutable = { a: 1 };
    expect(serialize(mutable).equals(serialize(frozen))).toBe(true);
    serialize(mutable);
    expect(encodings).toBe(3);
  });
});

describe('GetListing of a shared listing', () => {
  it('answers the same message as for an unshared copy, on every call', async () => {
    const shared = deepFreeze(sampleListing());
    const unshared: ListingDetails = sampleListing();
    let next: ListingDetails = shared;
    const listings = { get: { execute: async () => next } } as unknown as GrpcUseCases['listings'];
    harness = await startServer({ handlers: listingHandlers({ listings }) });
    const client = harness.client();
    const first = await client.getListing({ id: 1 });
    const second = await client.getListing({ id: 1 });
    next = unshared;
    const fromUnshared = await client.getListing({ id: 1 });
    expect(first).toEqual(fromUnshared);
    expect(second).toEqual(fromUnshared);
    expect(fromUnshared.listing).toEqual(toListingMessage(unshared));
  });
});
