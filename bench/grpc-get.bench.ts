// gRPC GetListing on the real service (memory cache, anonymous caller, createListingsClient) vs a bare grpc-js
// unary Ping (identity serializers on Buffers); both servers in one child process (support/bench-server.ts), the
// clients here, same concurrency and duration, measured in alternation (Ping, ours, Ping, ours...; every round
// printed, the table shows their medians). Issue target: GetListing >= 85 % of Ping.
import * as grpc from '@grpc/grpc-js';
import { createListingsClient } from '../adapters/grpc/client/index.ts';
import { measureAlternating, ROUNDS, roundLines } from './support/alternating.ts';
import { startChildServers } from './support/child-servers.ts';
import type { BenchDatabase } from './support/database.ts';
import { type LoadResult, pick } from './support/load.ts';
import { PING_PATH } from './support/ping-service.ts';
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
  try {
    // Every listing read once, so the measured phase reads cache hits (as the HTTP benchmark's cached rows).
    for (const id of db.listingIds) await listings.getListing({ id });
    const measured = await measureAlternating(
      [
        { label: 'bare grpc-js unary Ping (baseline)', call: ping },
        { label: 'GetListing, memory cache', call: () => listings.getListing({ id: pick(db.listingIds) }) },
      ],
      load,
    );
    const [bare, ours] = measured.rows as [LoadResult, LoadResult];
    return {
      title: 'grpc-get: gRPC GetListing vs bare grpc-js unary Ping',
      setup: `${CONCURRENCY} in flight, one channel each, cache primed with every id, servers in a child process; ${ROUNDS} alternating rounds of ${settings.durationMs / 1000} s after ${settings.warmupMs / 1000} s warm-up (medians)`,
      rows: [bare, ours],
      comparisons: [
        { what: 'GetListing calls/s', check: { kind: 'ratio', ours: ours.label, baseline: bare.label, min: 0.85 } },
      ],
      notes: roundLines(measured),
    };
  } finally {
    listings.close();
    pingClient.close();
    await servers.stop();
  }
}
