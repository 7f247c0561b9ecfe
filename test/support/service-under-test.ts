/**
 * `listings serve` in-process, as production composes it (startService, the product's pino logger with its
 * redaction), on the real servers, with every log line kept for the test to read. Used by test/fault and
 * test/security, whose tests drive the service from outside (REST over a socket, gRPC over a channel).
 */
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import { type RunningService, startService } from '../../adapters/composition/service.ts';
import { loadConfig } from '../../adapters/config/load.ts';
import { createListingsClient, type ListingsClient } from '../../adapters/grpc/client/index.ts';
import { createPinoLogger } from '../../adapters/logging/pino-logger.ts';
import { KnexSchemaMigrator } from '../../adapters/sql/knex-schema-migrator.ts';
import { seed } from '../../migrations/seeds/categories.ts';
import { freshPostgres, type TestDatabase, temporaryDirectory } from './databases.ts';

export const JWT_SECRET = 'fault-and-security-suite-secret-32-bytes-plus';

/** A fresh PostgreSQL database, migrated and seeded with the categories, plus their ids by slug. */
export async function seededDatabase(
  prefix: string,
): Promise<{ db: TestDatabase; categories: Record<string, number> }> {
  const db = await freshPostgres(prefix);
  await new KnexSchemaMigrator(db.knex).latest();
  await seed(db.knex);
  const rows = await db.knex('c2c_categories').select('id', 'slug');
  return { db, categories: Object.fromEntries(rows.map((row) => [row.slug as string, Number(row.id)])) };
}

/** An HS256 token signed with JWT_SECRET: a numeric subject is a user id. */
export async function userToken(sub: string, roles: readonly string[] = []): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: [...roles] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(JWT_SECRET));
}

export interface ServiceUnderTest {
  readonly running: RunningService;
  readonly base: string;
  readonly grpcAddress: string;
  /** SVETULISTINGS_DATA_DIR, a temporary directory removed by `stop`. */
  readonly dataDir: string;
  /** Every log line written so far, as written (JSON text). */
  readonly logLines: string[];
  /** A gRPC client presenting `token` (none: anonymous), without retries; closed by `stop`. */
  grpc(token?: string): ListingsClient;
  stop(): Promise<void>;
}

/**
 * Starts the service on `databaseUrl` with `settings` (SVETULISTINGS_* names as flags). Redis, OpenSearch and
 * MinIO are off unless `settings` switches them on; the HS256 secret is JWT_SECRET unless `settings` names other
 * keys.
 */
export async function startServiceUnderTest(
  databaseUrl: string,
  settings: Record<string, string> = {},
  logLevel = 'info',
): Promise<ServiceUnderTest> {
  const dataDir = await temporaryDirectory('listings-sut-');
  const { config } = loadConfig({
    version: 'test',
    dotenvPath: false,
    environment: {},
    flags: {
      SVETULISTINGS_HTTP_HOST: '127.0.0.1',
      SVETULISTINGS_HTTP_PORT: '0',
      SVETULISTINGS_GRPC_HOST: '127.0.0.1',
      SVETULISTINGS_GRPC_PORT: '0',
      SVETULISTINGS_DATA_DIR: dataDir.path,
      SVETULISTINGS_DB_URL: databaseUrl,
      SVETULISTINGS_HEALTH_CACHE_DURATION: '0s',
      SVETULISTINGS_AUTH_JWT_SECRET: JWT_SECRET,
      // The tests send bursts from one address; rate limits are tested in test/integration/redis and observability.
      SVETULISTINGS_RATE_LIMIT_ENABLED: 'false',
      ...settings,
    },
  });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createPinoLogger({ level: logLevel, format: 'json', destination });
  const running = await startService({ config, logger, autoMigrate: true });
  const grpcAddress = `127.0.0.1:${running.grpc.port}`;
  const clients: ListingsClient[] = [];
  return {
    running,
    base: `http://127.0.0.1:${running.http.port}`,
    grpcAddress,
    dataDir: dataDir.path,
    logLines,
    grpc(token) {
      const client = createListingsClient(grpcAddress, { ...(token ? { token } : {}), retries: { maxAttempts: 1 } });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      await running.stop('test done');
      await dataDir.remove();
    },
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are read field by field
  readonly json: any;
}

/** One REST request over a real socket; a JSON body in, the body out as text and (when it parses) JSON. */
export async function request(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Retries `check` until it stops throwing, or throws its last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
