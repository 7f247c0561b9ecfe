// gRPC GetListing on the real service (memory cache, anonymous caller, createListingsClient) vs a bare grpc-js
// unary Ping (identity serializers on Buffers); both servers in one child process (support/bench-server.ts), the
// clients here, same concurrency and duration, measured in alternation (Ping, ours, Ping, ours...; every round
// printed, the table shows their medians). Issue target: GetListing >= 85 % of Ping. A third, informational row
// is the transport floor of a GetListing (support/ping-service.ts): what our client sends (a deadline, an
// x-request-id, a two-byte request) and what our server answers (the id echoed, a listing-sized body), no work.

import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { createListingsClient } from '../adapters/grpc/client/index.ts';
import { GetListingRequest, GetListingResponse } from '../adapters/grpc/generated/listings/v1/listings.ts';
import { measureAlternating, ROUNDS, roundLines } from './support/alternating.ts';
import { startChildServers } from './support/child-servers.ts';
import type { BenchDatabase } from './support/database.ts';
import { type LoadResult, pick } from './support/load.ts';
import { FLOOR_PATH, FLOOR_RESPONSE_BYTES, PING_PATH, REQUEST_ID_HEADER } from './support/ping-service.ts';
import type { BenchReport } from './support/report.ts';
import type { BenchSettings } from './support/settings.ts';

const CONCURRENCY = 32;
const identity = (value: Buffer) => value;

export async function run(db: BenchDatabase, settings: BenchSettings): Promise<BenchReport> {
  const load = { ...settings, concurrency: CONCURRENCY };
  const servers = await startChildServers({ BENCH_DB_URL: db.url, BENCH_CACHE_DRIVER: 'memory' });
  const pingClient = new grpc.Client(`127.0.0.1:${servers.ports.ping}`, grpc.credentials.createInsecure());
  const listings = createListingsClient(`127.0.0.1:${servers.ports.grpc}`);
  const request = Buffer.from('ping');
  const ping = () =>
    new Promise<Buffer>((resolve, reject) => {
      pingClient.makeUnaryRequest(PING_PATH, identity, identity, request, (error, value) =>
        error ? reject(error) : resolve(value as Buffer),
      );
    });
  // As our client calls: a fresh request id and the GetListing deadline on every call.
  const floor = () =>
    new Promise<Buffer>((resolve, reject) => {
      const metadata = new grpc.Metadata();
      metadata.set(REQUEST_ID_HEADER, randomUUID());
      const body = Buffer.from(GetListingRequest.encode({ id: pick(db.listingIds) }).finish());
      pingClient.makeUnaryRequest(
        FLOOR_PATH,
        identity,
        identity,
        body,
        metadata,
        { deadline: Date.now() + 5_000 },
        (error, value) => (error ? reject(error) : resolve(value as Buffer)),
      );
    });
  try {
    // Every listing read once, so the measured phase reads cache hits (as the HTTP benchmark's cached rows).
    for (const id of db.listingIds) await listings.getListing({ id });
    const measured = await measureAlternating(
      [
        { label: 'bare grpc-js unary Ping (baseline)', call: ping },
        { label: 'transport floor of a GetListing (informational)', call: floor },
        { label: 'GetListing, memory cache', call: () => listings.getListing({ id: pick(db.listingIds) }) },
      ],
      load,
    );
    const [bare, transport, ours] = measured.rows as [LoadResult, LoadResult, LoadResult];
    const sample = await listings.getListing({ id: db.listingIds[0] as number });
    const answerBytes = GetListingResponse.encode(sample).finish().length;
    return {
      title: 'grpc-get: gRPC GetListing vs bare grpc-js unary Ping',
      setup: `${CONCURRENCY} in flight, one channel each, cache primed with every id, servers in a child process; ${ROUNDS} alternating rounds of ${settings.durationMs / 1000} s after ${settings.warmupMs / 1000} s warm-up (medians)`,
      rows: [bare, transport, ours],
      comparisons: [
        { what: 'GetListing calls/s', check: { kind: 'ratio', ours: ours.label, baseline: bare.label, min: 0.85 } },
        { what: 'the transport floor alone', check: { kind: 'none', ours: transport.label, baseline: bare.label } },
        { what: 'GetListing against the floor', check: { kind: 'none', ours: ours.label, baseline: transport.label } },
      ],
      notes: [
        `a GetListing answer here is ${answerBytes} bytes of protobuf; the floor answers ${FLOOR_RESPONSE_BYTES}`,
        ...roundLines(measured),
      ],
    };
  } finally {
    listings.close();
    pingClient.close();
    await servers.stop();
  }
}
