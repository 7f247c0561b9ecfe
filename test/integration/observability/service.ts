import { SignJWT } from 'jose';
import { pino } from 'pino';
import { type RunningService, startService } from '../../../adapters/composition/service.ts';
import { loadConfig } from '../../../adapters/config/load.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { seed } from '../../../migrations/seeds/categories.ts';
import { freshPostgres, type TestDatabase, temporaryDirectory } from '../../support/databases.ts';

export const SECRET = 'observability-integration-secret-32-bytes-plus';

/** An HS256 token as the issuer would sign it; a numeric subject is a user id. */
export async function token(sub: string, roles: readonly string[] = []): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: [...roles] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(SECRET));
}

/** A fresh PostgreSQL database, migrated and seeded with the categories, plus their ids by slug. */
export async function seededDatabase(): Promise<{ db: TestDatabase; categories: Record<string, number> }> {
  const db = await freshPostgres('listings_obs');
  await new KnexSchemaMigrator(db.knex).latest();
  await seed(db.knex);
  const rows = await db.knex('c2c_categories').select('id', 'slug');
  return { db, categories: Object.fromEntries(rows.map((row) => [row.slug as string, Number(row.id)])) };
}

export interface TestService {
  readonly running: RunningService;
  readonly base: string;
  readonly grpcAddress: string;
  stop(): Promise<void>;
}

/** `listings serve` in-process on ephemeral ports, on `databaseUrl` and `redisUrl`, with `extra` settings. */
export async function serve(databaseUrl: string, redisUrl: string, extra: Record<string, string> = {}) {
  const dataDir = await temporaryDirectory('listings-obs-');
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
      SVETULISTINGS_REDIS_URL: redisUrl,
      SVETULISTINGS_AUTH_JWT_SECRET: SECRET,
      ...extra,
    },
  });
  const running = await startService({ config, logger: pino({ level: 'silent' }), autoMigrate: true });
  return {
    running,
    base: `http://127.0.0.1:${running.http.port}`,
    grpcAddress: `127.0.0.1:${running.grpc.port}`,
    async stop() {
      await running.stop('test done');
      await dataDir.remove();
    },
  } satisfies TestService;
}

/** One request; JSON body in and out, bearer token optional. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
  // biome-ignore lint/suspicious/noExplicitAny: test responses are read field by field
): Promise<{ status: number; headers: Headers; json: any }> {
  const headers: Record<string, string> = {};
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
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

/** The sum of every sample of `name` (a counter, a gauge, or a histogram's `_count`) in a Prometheus text page. */
export function sampleSum(page: string, name: string): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (match?.[1] === name) sum += Number(match[3]);
  }
  return sum;
}
