// The servers under load, in a child process of the benchmark so the load generator never shares their event
// loop: the real service (startService, as `listings serve`), a bare Fastify `GET /hello` and a bare grpc-js
// server with one unary Ping (and the informational transport floor of a GetListing, support/ping-service.ts).
// Prints one JSON line with the ports (and its pid, whose CPU time http-get reads), stops on SIGTERM.
// Env: BENCH_DB_URL (required), BENCH_CACHE_DRIVER (memory | redis | none), BENCH_REDIS_URL (for redis).
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import Fastify from 'fastify';
import pg from 'pg';
import { startService } from '../../adapters/composition/service.ts';
import { loadConfig } from '../../adapters/config/load.ts';
import { createPinoLogger } from '../../adapters/logging/pino-logger.ts';
import { FLOOR_RESPONSE_BYTES, PING_SERVICE, REQUEST_ID_HEADER } from './ping-service.ts';

const dbUrl = process.env.BENCH_DB_URL;
if (!dbUrl) throw new Error('BENCH_DB_URL is required');
const cacheDriver = process.env.BENCH_CACHE_DRIVER ?? 'memory';
const dataDir = await mkdtemp(join(tmpdir(), 'listings-bench-'));

const { config } = loadConfig({
  version: 'bench',
  environment: {},
  dotenvPath: false,
  flags: {
    SVETULISTINGS_HTTP_HOST: '127.0.0.1',
    SVETULISTINGS_HTTP_PORT: '0',
    SVETULISTINGS_GRPC_HOST: '127.0.0.1',
    SVETULISTINGS_GRPC_PORT: '0',
    SVETULISTINGS_DB_URL: dbUrl,
    SVETULISTINGS_CACHE_DRIVER: cacheDriver,
    ...(cacheDriver === 'redis' ? { SVETULISTINGS_REDIS_URL: process.env.BENCH_REDIS_URL ?? '' } : {}),
    SVETULISTINGS_WORKER_ENABLED: 'false',
    SVETULISTINGS_RATE_LIMIT_ENABLED: 'false',
    SVETULISTINGS_LOG_LEVEL: 'silent',
    SVETULISTINGS_DATA_DIR: dataDir,
  },
});
const service = await startService({ config, logger: createPinoLogger({ level: 'silent', format: 'json' }) });

const hello = Fastify({ logger: false });
hello.get('/hello', async () => ({ hello: 'world' }));
// The informational ceiling of an uncached GET: a bare Fastify route answering the raw prepared primary-key query
// (the get-by-id baseline) on a pool as large as the service's (DB_MAX_OPEN_CONNS default), with no work of ours.
const rawPool = new pg.Pool({ connectionString: dbUrl, max: config.database.maxOpenConns });
hello.get<{ Params: { id: string } }>('/raw-listing/:id', async (request) => {
  const { rows } = await rawPool.query({
    name: 'raw_listing',
    text: 'SELECT * FROM listings WHERE id = $1 AND is_deleted = false',
    values: [request.params.id],
  });
  return rows[0];
});
await hello.listen({ host: '127.0.0.1', port: 0 });

const pong = Buffer.from('pong');
const floorBody = Buffer.alloc(FLOOR_RESPONSE_BYTES, 0x61);
const ping = new grpc.Server();
ping.addService(PING_SERVICE, {
  ping: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => callback(null, pong),
  floor: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
    const headers = new grpc.Metadata();
    headers.set(REQUEST_ID_HEADER, String(call.metadata.get(REQUEST_ID_HEADER)[0] ?? ''));
    call.sendMetadata(headers);
    callback(null, floorBody);
  },
});
const pingPort = await new Promise<number>((resolve, reject) =>
  ping.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
    error ? reject(error) : resolve(port),
  ),
);

process.stdout.write(
  `${JSON.stringify({
    http: service.http.port,
    grpc: service.grpc.port,
    hello: (hello.server.address() as AddressInfo).port,
    ping: pingPort,
    pid: process.pid,
  })}\n`,
);

process.once('SIGTERM', async () => {
  ping.forceShutdown();
  await hello.close();
  await rawPool.end();
  await service.stop('bench done');
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
});
