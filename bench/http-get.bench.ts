// REST GET /api/v1/listings/:id of the real service vs a bare Fastify hello world, both served by one child process
// per cache setting (support/bench-server.ts) and loaded by autocannon from this one: 100 connections, no pipelining.
// Ours and the baseline alternate (hello, ours, hello, ours...) on the same child, so a burst of load from elsewhere on
// a shared machine hits both rather than one; every round is printed, the table shows their medians.
// Issue targets: cached GET >= 50 % of hello world; from PostgreSQL without a cache >= 25 %; p99 < 10 ms. The Redis
// setting also prints the cache-hit ratio and the Redis commands per request, measured (support/cache-stats.ts). The
// uncached setting adds an informational row: the get-by-id baseline's raw pg query behind a bare Fastify route, i.e.
// what an uncached GET could reach here with none of our code, against which its 25 % target can be read.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { type CachePhaseStats, CacheStats } from './support/cache-stats.ts';
import { startChildServers } from './support/child-servers.ts';
import type { BenchDatabase } from './support/database.ts';
import { type LoadResult, pick } from './support/load.ts';
import type { BenchReport, Comparison } from './support/report.ts';
import type { BenchSettings } from './support/settings.ts';

const CONNECTIONS = 100;

/**
 * CPU seconds (user + system) the process has used, from /proc/<pid>/stat (Linux; clock ticks of 1/100 s). Taken
 * around a phase it gives the server's CPU per request, which other work on a shared machine disturbs far less than
 * the request rate: it slows the server down, it hardly makes each request cost more.
 */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

interface Measured {
  readonly result: LoadResult;
  /** The serving child's CPU microseconds per answer of the measured phase (undefined without /proc). */
  readonly cpuUsPerRequest: number | undefined;
  /** Every answer of the measured phase, whatever its status. */
  readonly requests: number;
  /** What the cache did during the measured phase (not the warm-up). */
  readonly cache: CachePhaseStats | undefined;
}

async function load(
  label: string,
  url: string,
  settings: BenchSettings,
  options: { readonly paths?: () => string; readonly stats?: CacheStats; readonly pid?: number } = {},
): Promise<Measured> {
  const { paths, stats, pid } = options;
  const requests = paths === undefined ? undefined : [{ setupRequest: (r: object) => ({ ...r, path: paths() }) }];
  const common = { url, connections: CONNECTIONS, pipelining: 1, ...(requests ? { requests } : {}) };
  await autocannon({ ...common, duration: settings.warmupMs / 1000 });
  const before = await stats?.snapshot();
  const cpuBefore = pid === undefined ? undefined : cpuSeconds(pid);
  const result = await autocannon({ ...common, duration: settings.durationMs / 1000 });
  const cpuAfter = pid === undefined ? undefined : cpuSeconds(pid);
  const cache = stats && before ? CacheStats.delta(before, await stats.snapshot()) : undefined;
  if (result['2xx'] === 0)
    throw new Error(`${label}: no 2xx answer (${result.non2xx} non-2xx, ${result.errors} errors)`);
  return {
    result: {
      label,
      opsPerSec: result['2xx'] / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.non2xx,
    },
    requests: result['2xx'] + result.non2xx,
    cpuUsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined || result['2xx'] + result.non2xx === 0
        ? undefined
        : ((cpuAfter - cpuBefore) * 1e6) / (result['2xx'] + result.non2xx),
    cache,
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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One row per label: the median of each figure over the rounds (errors added up). */
function medianRow(label: string, results: readonly LoadResult[]): LoadResult {
  return {
    label,
    opsPerSec: median(results.map((r) => r.opsPerSec)),
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

interface Setting {
  readonly label: string;
  /** Label of the hello-world rows measured beside it. */
  readonly hello: string;
  readonly env: Record<string, string>;
  /** Watch this Redis's command counts. */
  readonly redisUrl?: string;
  /** Label of an informational row measured after ours each round: the raw query behind a bare Fastify route. */
  readonly ceiling?: string;
}

interface SettingResult {
  readonly rows: readonly LoadResult[];
  readonly notes: readonly string[];
}

const fmt = (value: number) => value.toFixed(0);
const pct = (value: number) => `${(100 * value).toFixed(1)} %`;

function cacheNote(stats: CachePhaseStats, requests: number, redis: boolean): string {
  const lookups = stats.hits + stats.misses;
  const hitRatio = lookups === 0 ? '-' : pct(stats.hits / lookups);
  const commands = [...stats.redisCalls]
    .sort((a, b) => b[1] - a[1])
    .map(([command, calls]) => `${command} ${(calls / requests).toFixed(2)}`)
    .join(', ');
  const hitNote = `cache-hit ratio ${hitRatio} (${stats.hits} hits, ${stats.misses} misses)`;
  if (!redis) return hitNote;
  return `${hitNote}, Redis commands per request ${(stats.redisTotal / requests).toFixed(2)} (${commands || 'none'})`;
}

/** One cache setting in its own child process: `rounds` times hello world then ours, on the same child. */
async function measureSetting(
  db: BenchDatabase,
  settings: BenchSettings,
  setting: Setting,
  rounds: number,
): Promise<SettingResult> {
  const servers = await startChildServers({ BENCH_DB_URL: db.url, ...setting.env });
  const base = `http://127.0.0.1:${servers.ports.http}`;
  const stats = new CacheStats(`${base}/metrics`, setting.redisUrl);
  // Printed by bench-server.ts beside the ports.
  const pid = (servers.ports as { readonly pid?: number }).pid;
  try {
    if (setting.env.BENCH_CACHE_DRIVER !== 'none') await prime(base, db.listingIds);
    const path = () => `/api/v1/listings/${pick(db.listingIds)}`;
    const hellos: LoadResult[] = [];
    const ours: LoadResult[] = [];
    const ceilings: LoadResult[] = [];
    const notes: string[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      const cpu = pid === undefined ? {} : { pid };
      const hello = await load(setting.hello, `http://127.0.0.1:${servers.ports.hello}/hello`, settings, cpu);
      const watched = setting.env.BENCH_CACHE_DRIVER === 'none' ? {} : { stats };
      const listing = await load(setting.label, `${base}${path()}`, settings, { paths: path, ...watched, ...cpu });
      hellos.push(hello.result);
      ours.push(listing.result);
      const ratio = listing.result.opsPerSec / hello.result.opsPerSec;
      let line =
        `${setting.label}, round ${round}: ${fmt(listing.result.opsPerSec)} / ${fmt(hello.result.opsPerSec)} req/s ` +
        `= ${pct(ratio)} of hello world, p99 ${listing.result.p99Ms} ms (hello ${hello.result.p99Ms} ms)`;
      if (listing.cpuUsPerRequest !== undefined && hello.cpuUsPerRequest !== undefined) {
        // What the ratio would be if the machine were the server's alone: hello world's CPU per request over ours.
        line +=
          `; server CPU per request ${listing.cpuUsPerRequest.toFixed(1)} / ${hello.cpuUsPerRequest.toFixed(1)} us ` +
          `(hello/ours ${pct(hello.cpuUsPerRequest / listing.cpuUsPerRequest)})`;
      }
      if (setting.ceiling !== undefined) {
        const rawPath = () => `/raw-listing/${pick(db.listingIds)}`;
        const raw = await load(setting.ceiling, `http://127.0.0.1:${servers.ports.hello}${rawPath()}`, settings, {
          paths: rawPath,
        });
        ceilings.push(raw.result);
        line += `; raw query behind bare Fastify ${fmt(raw.result.opsPerSec)} req/s = ${pct(raw.result.opsPerSec / hello.result.opsPerSec)}`;
      }
      notes.push(
        listing.cache === undefined
          ? line
          : `${line}; ${cacheNote(listing.cache, listing.requests, setting.redisUrl !== undefined)}`,
      );
    }
    const rows = [medianRow(setting.hello, hellos), medianRow(setting.label, ours)];
    if (setting.ceiling !== undefined) rows.push(medianRow(setting.ceiling, ceilings));
    return { rows, notes };
  } finally {
    await stats.close();
    await servers.stop();
  }
}

export async function run(db: BenchDatabase, settings: BenchSettings): Promise<BenchReport> {
  const redisUrl = process.env.LISTINGS_TEST_REDIS_URL;
  if (!redisUrl) throw new Error('LISTINGS_TEST_REDIS_URL is not set: run through scripts/bench (npm run bench)');
  const rounds = settings.durationMs >= 5_000 ? 3 : 2;
  const memory: Setting = {
    label: 'GET listing, memory cache',
    hello: 'hello world (beside memory cache)',
    env: { BENCH_CACHE_DRIVER: 'memory' },
  };
  const redis: Setting = {
    label: 'GET listing, Redis cache',
    hello: 'hello world (beside Redis cache)',
    env: { BENCH_CACHE_DRIVER: 'redis', BENCH_REDIS_URL: redisUrl },
    redisUrl,
  };
  const none: Setting = {
    label: 'GET listing, no cache (PostgreSQL)',
    hello: 'hello world (beside no cache)',
    env: { BENCH_CACHE_DRIVER: 'none' },
    ceiling: 'raw pg query behind bare Fastify (informational)',
  };
  const results: SettingResult[] = [];
  for (const setting of [memory, redis, none]) results.push(await measureSetting(db, settings, setting, rounds));
  const ratio = (s: Setting, min: number): Comparison => ({
    what: `${s.label.replace('GET listing, ', '')} req/s`,
    check: { kind: 'ratio', ours: s.label, baseline: s.hello, min },
  });
  return {
    title: 'http-get: REST GET /api/v1/listings/:id vs bare Fastify hello world',
    setup:
      `autocannon, ${CONNECTIONS} connections, no pipelining, random active public listing ids (caches primed with ` +
      `every id); one child process per setting serving both; ${rounds} rounds of hello world then ours, each ` +
      `${settings.durationMs / 1000} s after ${settings.warmupMs / 1000} s warm-up; rows are medians of the rounds`,
    rows: results.flatMap((r) => r.rows),
    comparisons: [
      ratio(memory, 0.5),
      ratio(redis, 0.5),
      ratio(none, 0.25),
      {
        what: 'the raw query behind bare Fastify, the ceiling of an uncached GET on this machine',
        check: { kind: 'none', ours: none.ceiling as string, baseline: none.hello },
      },
      ...[memory, redis, none].map(
        (s): Comparison => ({ what: s.label, check: { kind: 'p99', ours: s.label, maxMs: 10 } }),
      ),
    ],
    notes: results.flatMap((r) => r.notes),
  };
}
