import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync } from 'fastify';
import { pino } from 'pino';
import { JwtVerifier } from '../../../adapters/auth/jwt-verifier.ts';
import { buildHttpApp, type HttpAppOptions } from '../../../adapters/http/app.ts';
import { HealthProbe } from '../../../adapters/http/health-probe.ts';
import { TEST_SECRET } from '../auth/tokens.ts';

export const silent = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

/** The HS256 verifier matching `signToken` of test/unit/auth/tokens.ts. */
export const testVerifier = new JwtVerifier({ key: { kind: 'secret', secret: TEST_SECRET } });

/** The whole app with `routes` registered as the composition root would, authenticated with {@link testVerifier}. */
export async function appWith(
  routes: FastifyPluginAsync,
  overrides: Partial<HttpAppOptions> = {},
): Promise<FastifyInstance> {
  const app = await buildHttpApp({
    logger: silent,
    version: '1.2.3',
    probe: new HealthProbe([], { timeoutMs: 100, cacheMs: 0 }),
    bodyLimitBytes: 64 * 1024,
    requestTimeoutMs: 10_000,
    isAccepting: () => true,
    auth: { verifier: testVerifier },
    plugins: [routes],
    ...overrides,
  });
  await app.ready();
  return app;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
