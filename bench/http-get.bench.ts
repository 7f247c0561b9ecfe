// REST GET /api/v1/listings/:id of the real service vs a bare Fastify hello world, both served by a child process
// (support/bench-server.ts) and loaded by autocannon from this one: 100 connections, no pipelining.
// Issue targets: cached GET >= 50 % of hello world; from PostgreSQL without a cache >= 25 %; p99 < 10 ms.
import autocannon from 'autocannon';
import { startChildServers } from './support/child-servers.ts';
import type { BenchDatabase } from './support/database.ts';
import { type LoadResult, pick } from './support/load.ts';
import type { BenchReport, Comparison } from './support/report.ts';
import type { BenchSettings } from './support/settings.ts';

const CONNECTIONS = 100;

async function load(label: string, url: string, settings: BenchSettings, paths?: () => string): Promise<LoadResult> {
  const requests = paths === undefined ? undefined : [{ setupRequest: (r: object) => ({ ...r, path: paths() }) }];
  const options = { url, connections: CONNECTIONS, pipelining: 1, ...(requests ? { requests } : {}) };
  await autocannon({ ...options, duration: settings.warmupMs / 1000 });
  const result = await autocannon({ ...options, duration: settings.durationMs / 1000 });
  if (result['2xx'] === 0)
    throw new Error(`${label}: no 2xx answer (${result.non2xx} non-2xx, ${result.errors} errors)`);
  return {
    label,
    opsPerSec: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** Reads every listing once (16 at a time), so a cached run measures hits, not the first misses. */
async function prime(base: string, ids: readonly number[]): Promise<void> {
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      const response = await fetch(`${base}/api/v1/listings/${id}`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`priming GET listing ${id} answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** One service configuration in its own child process; the hello world is measured in the first one. */
async function measureService(
  db: BenchDatabase,
  settings: BenchSettings,
  label: string,
  env: Record<string, string>,
  withHello: boolean,
): Promise<LoadResult[]> {
  const servers = await startChildServers({ BENCH_DB_URL: db.url, ...env });
  try {
    const results: LoadResult[] = [];
    if (withHello) {
      results.push(
        await load('bare Fastify hello world (baseline)', `http://127.0.0.1:${servers.ports.hello}/hello`, settings),
      );
    }
    const base = `http://127.0.0.1:${servers.ports.http}`;
    if (env.BENCH_CACHE_DRIVER !== 'none') await prime(base, db.listingIds);
    const path = () => `/api/v1/listings/${pick(db.listingIds)}`;
    results.push(await load(label, `${base}${path()}`, settings, path));
    return results;
  } finally {
    await servers.stop();
  }
}

export async function run(db: BenchDatabase, settings: BenchSettings): Promise<BenchReport> {
  const redisUrl = process.env.LISTINGS_TEST_REDIS_URL;
  if (!redisUrl) throw new Error('LISTINGS_TEST_REDIS_URL is not set: run through scripts/bench (npm run bench)');
  const memory = 'GET listing, memory cache';
  const redis = 'GET listing, Redis cache';
  const none = 'GET listing, no cache (PostgreSQL)';
  const hello = 'bare Fastify hello world (baseline)';
  const rows = [
    ...(await measureService(db, settings, memory, { BENCH_CACHE_DRIVER: 'memory' }, true)),
    ...(await measureService(db, settings, redis, { BENCH_CACHE_DRIVER: 'redis', BENCH_REDIS_URL: redisUrl }, false)),
    ...(await measureService(db, settings, none, { BENCH_CACHE_DRIVER: 'none' }, false)),
  ];
  const comparisons: Comparison[] = [
    { what: 'memory cache req/s', check: { kind: 'ratio', ours: memory, baseline: hello, min: 0.5 } },
    { what: 'Redis cache req/s', check: { kind: 'ratio', ours: redis, baseline: hello, min: 0.5 } },
    { what: 'no cache req/s', check: { kind: 'ratio', ours: none, baseline: hello, min: 0.25 } },
    ...[memory, redis, none].map((ours): Comparison => ({ what: ours, check: { kind: 'p99', ours, maxMs: 10 } })),
  ];
  return {
    title: 'http-get: REST GET /api/v1/listings/:id vs bare Fastify hello world',
    setup: `autocannon, ${CONNECTIONS} connections, no pipelining, random active public listing ids (caches primed with every id); servers in a child process; ${settings.durationMs / 1000} s after ${settings.warmupMs / 1000} s warm-up`,
    rows,
    comparisons,
  };
}
