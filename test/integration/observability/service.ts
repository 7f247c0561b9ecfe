import { SignJWT } from 'jose';
import type { TestDatabase } from '../../support/databases.ts';
import {
  request,
  type ServiceUnderTest,
  seededDatabase as seededTestDatabase,
  startServiceUnderTest,
} from '../../support/service-under-test.ts';

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
export function seededDatabase(): Promise<{ db: TestDatabase; categories: Record<string, number> }> {
  return seededTestDatabase('listings_obs');
}

export type TestService = ServiceUnderTest;

/**
 * `listings serve` in-process on ephemeral ports, on `databaseUrl` and `redisUrl`, with `extra` settings: the shared
 * harness (test/support/service-under-test.ts) with this suite's secret, its own logs silent, and the defaults these
 * tests observe put back (rate limiting on, readiness cached 10 s).
 */
export function serve(databaseUrl: string, redisUrl: string, extra: Record<string, string> = {}) {
  return startServiceUnderTest(
    databaseUrl,
    {
      SVETULISTINGS_REDIS_URL: redisUrl,
      SVETULISTINGS_AUTH_JWT_SECRET: SECRET,
      SVETULISTINGS_RATE_LIMIT_ENABLED: 'true',
      SVETULISTINGS_HEALTH_CACHE_DURATION: '10s',
      ...extra,
    },
    'silent',
  );
}

/** One request; JSON body in and out (a body that is not JSON comes back as its text), bearer token optional. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
  // biome-ignore lint/suspicious/noExplicitAny: test responses are read field by field
): Promise<{ status: number; headers: Headers; json: any }> {
  const answer = await request(base, method, path, options);
  const json = answer.json === undefined && answer.text !== '' ? answer.text : answer.json;
  return { status: answer.status, headers: answer.headers, json };
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
